import { existsSync } from "node:fs";
import { MosaicError } from "../errors.js";
import type { Reporter } from "../contracts/events.js";
import type { PixelFormat } from "../contracts/preprocess-spec.js";
import type { DeviceChoice, Precision } from "./device.js";
import { describeSelection } from "./device.js";
import { type Embedder, createEmbedder } from "./embedder.js";
import { ensureOnnx, readyOnnx, tfjsInstalled } from "./ensure-onnx.js";
import type { ModelPlan } from "./presets.js";

export interface OpenModelOptions {
  cacheDir: string;
  threads: number;
  reporter: Reporter;
  /** Execution provider (default cpu); `auto` tries cuda, webgpu, then cpu. */
  device?: DeviceChoice;
  precision?: Precision;
  /** The model's input form (see EmbedderOptions.pixels); default auto. */
  pixels?: PixelFormat | "auto";
  /** Ctrl-C during a first-use conversion stops it (see ensureOnnx). */
  signal?: AbortSignal | undefined;
  /** Say why each better device was skipped, not just which (the default names them only). */
  verbose?: boolean;
}

/**
 * Opens an ORT session on the plan's model: the .onnx shipped with mosaic for a bundled preset, else a
 * conversion of your TF.js model on first use (a one-off step with a spinner, checked against TF.js
 * where TF.js is installed, with a note where it is not).
 */
export async function openModel(plan: ModelPlan, options: OpenModelOptions): Promise<Embedder> {
  if (plan.source.kind !== "nsfwjs" && !existsSync(plan.source.path)) {
    throw new MosaicError(`Model file ${plan.source.path} does not exist`, {
      hint: "Check the --model path (relative paths start at the working directory).",
    });
  }
  const step = <T>(label: string, work: () => Promise<T>) => options.reporter.step(label, work);
  const say = async (text: string) => {
    if (options.reporter.note) options.reporter.note(text);
    else await step(text, async () => undefined);
  };
  const ready = await readyOnnx(plan, { cacheDir: options.cacheDir });
  let onnxPath = ready?.onnxPath;
  if (onnxPath === undefined) {
    const check = tfjsInstalled() ? "; checking it against TF.js" : "";
    const done = await step(`Converting ${plan.preset} to ONNX (first use${check})`, () =>
      ensureOnnx(plan, { cacheDir: options.cacheDir, signal: options.signal }),
    );
    onnxPath = done.onnxPath;
    if (done.paritySkipped) await say(`note: ${done.paritySkipped}`);
  }
  const device = options.device ?? "cpu";
  const embedder = await step(
    `Loading model ${plan.preset}${device === "cpu" ? "" : ` (device ${device})`}`,
    () =>
      createEmbedder({
        onnxPath,
        spec: plan.spec,
        threads: options.threads > 0 ? options.threads : undefined,
        device,
        precision: options.precision,
        pixels: options.pixels ?? "auto",
        ...(plan.specSource ? { specSource: plan.specSource } : {}),
        sizeFromModel: plan.sizeFromModel ?? false,
      }),
  );
  // Never a silent fallback: say which device runs the model and why better ones were passed over.
  if (device !== "cpu" || embedder.selection.skipped.length > 0) {
    const fp16Ignored =
      options.precision === "fp16" && embedder.precision !== "fp16" ? ", fp16 needs a GPU: fp32" : "";
    // A device the user named explicitly gets the full story; `auto` on a GPU-less box gets one short line.
    const brief = device === "auto" && options.verbose !== true;
    await say(`Model runs on ${describeSelection(embedder.selection, { brief })}${fp16Ignored}`);
  }
  return embedder;
}
