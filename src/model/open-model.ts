import { existsSync } from "node:fs";
import type { Reporter } from "../featurize/events.js";
import type { DeviceChoice, Precision } from "./device.js";
import { describeSelection } from "./device.js";
import { type Embedder, createEmbedder } from "./embedder.js";
import { cachedOnnxPath, ensureOnnx } from "./ensure-onnx.js";
import type { ModelPlan } from "./presets.js";

export interface OpenModelOptions {
  cacheDir: string;
  threads: number;
  reporter: Reporter;
  /** Execution provider (default cpu); `auto` tries cuda, webgpu, then cpu. */
  device?: DeviceChoice;
  precision?: Precision;
}

/** Converts the plan's model on first use (a one-off step with a spinner) and opens an ORT session on it. */
export async function openModel(plan: ModelPlan, options: OpenModelOptions): Promise<Embedder> {
  const step = <T>(label: string, work: () => Promise<T>) => options.reporter.step?.(label, work) ?? work();
  const converted = plan.source.kind === "onnx" || existsSync(await cachedOnnxPath(plan, options.cacheDir));
  const { onnxPath } = converted
    ? await ensureOnnx(plan, { cacheDir: options.cacheDir })
    : await step(`Converting ${plan.preset} to ONNX (first use; checking it against TF.js)`, () =>
        ensureOnnx(plan, { cacheDir: options.cacheDir }),
      );
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
      }),
  );
  // Never a silent fallback: say which device runs the model and why better ones were passed over.
  if (device !== "cpu" || embedder.selection.skipped.length > 0) {
    const fp16Ignored =
      options.precision === "fp16" && embedder.precision !== "fp16" ? ", fp16 needs a GPU: fp32" : "";
    const text = `Model runs on ${describeSelection(embedder.selection)}${fp16Ignored}`;
    if (options.reporter.note) options.reporter.note(text);
    else await step(text, async () => undefined);
  }
  return embedder;
}
