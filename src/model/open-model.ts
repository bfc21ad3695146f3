import type { Reporter } from "../featurize/events.js";
import { type Embedder, createEmbedder } from "./embedder.js";
import { ensureOnnx } from "./ensure-onnx.js";
import type { ModelPlan } from "./presets.js";

export interface OpenModelOptions {
  cacheDir: string;
  threads: number;
  reporter: Reporter;
}

/** Converts the plan's model on first use (a one-off step with a spinner) and opens an ORT session on it. */
export async function openModel(plan: ModelPlan, options: OpenModelOptions): Promise<Embedder> {
  const step = <T>(label: string, work: () => Promise<T>) => options.reporter.step?.(label, work) ?? work();
  const { onnxPath } = await ensureOnnx(plan, { cacheDir: options.cacheDir });
  return step(`Loading model ${plan.preset}`, () =>
    createEmbedder({ onnxPath, spec: plan.spec, threads: options.threads > 0 ? options.threads : undefined }),
  );
}
