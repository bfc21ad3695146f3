import type { ModelSetting } from "../model/model-from-config.js";
import type { OpenModelOptions } from "../model/open-model.js";
import type { Context } from "./context.js";

/** How this run opens a model session: cache, threads, device and precision from config, its reporter and signal. */
export function modelSessionOptions(ctx: Context): OpenModelOptions {
  const { config } = ctx;
  return {
    cacheDir: ctx.cacheDir,
    threads: config.threads,
    reporter: ctx.reporter,
    device: config.device,
    precision: config.precision,
    signal: ctx.signal,
    verbose: ctx.verbose,
  };
}

/** What query and serve open an index's model with: the session options plus the configured model, if any. */
export function indexModelOptions(
  ctx: Context,
  model: string | undefined = ctx.config.model,
): OpenModelOptions & ModelSetting {
  const { config } = ctx;
  return {
    model,
    modelPreset: config.modelPreset,
    preprocess: config.preprocess,
    ...modelSessionOptions(ctx),
  };
}
