import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type * as ort from "onnxruntime-node";
import { MosaicError } from "../errors.js";
import { openDeviceWorker } from "./device-worker.js";
import {
  type Device,
  type DeviceChoice,
  type DeviceSelection,
  type Precision,
  type SkippedDevice,
  candidateDevices,
} from "./device.js";
import { convertOnnxToFp16 } from "./fp16.js";
import { type DeclaredShape, fitSpecToModel } from "./input-shape.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";
import {
  type PreflightEnv,
  defaultPreflightEnv,
  executionProvidersFor,
  explainProviderFailure,
  preflight,
} from "./providers.js";

export interface EmbedderOptions {
  /** Path of the .onnx file (or pass `onnxBytes`). */
  onnxPath?: string;
  onnxBytes?: Uint8Array;
  /** Names the model in messages when it is passed as bytes. */
  label?: string;
  spec: PreprocessSpec;
  /** intra-op threads; default lets ORT pick (all cores). */
  threads?: number;
  /** Execution provider; `auto` takes the first of cuda, webgpu, cpu that starts. Default cpu. */
  device?: DeviceChoice;
  /** fp16 converts the graph's weights and arithmetic to float16 on GPU devices (I/O stays float32). */
  precision?: Precision;
  /** Where `spec` came from, for messages (default "the preprocessing"). */
  specSource?: string;
  /** No preset or config fixed the input size: take height, width and layout from the model's input. */
  sizeFromModel?: boolean;
  /** File checks that rule devices out before trying them; tests pass fakes. */
  preflightEnv?: PreflightEnv;
}

/**
 * Runs a feature model. `embed` takes n preprocessed images laid out as `spec.layout` says
 * (NHWC: [n, H, W, 3]) and returns raw features [n, dim] — NOT L2-normalized; callers that compare
 * by cosine apply `l2normalize` (kept separate so centering can happen before normalizing).
 */
export interface Embedder {
  readonly dim: number;
  readonly spec: PreprocessSpec;
  /** Where the model runs, and why better devices were skipped (for `auto`). */
  readonly selection: DeviceSelection;
  /** Precision actually used (fp16 applies to GPU devices only). */
  readonly precision: Precision;
  embed(batch: Float32Array, n: number): Promise<Float32Array>;
  close(): Promise<void>;
}

/** A session on one device: the in-process one (CPU) or one in a worker thread (GPUs). */
interface DeviceSession {
  readonly inputShape: DeclaredShape;
  run(batch: Float32Array, shape: readonly number[]): Promise<Float32Array>;
  close(): Promise<void>;
}

export async function createEmbedder(options: EmbedderOptions): Promise<Embedder> {
  const choice = options.device ?? "cpu";
  const env = options.preflightEnv ?? defaultPreflightEnv();
  const skipped: SkippedDevice[] = [];
  const label = options.onnxPath ?? options.label ?? "(in memory)";
  if (options.onnxPath !== undefined && options.onnxBytes === undefined && !existsSync(options.onnxPath)) {
    throw new MosaicError(`Model file ${options.onnxPath} does not exist`, {
      hint: "Check the --model path (relative paths start at the working directory).",
    });
  }

  for (const device of candidateDevices(choice)) {
    const ruledOut = preflight(device, env);
    if (ruledOut !== undefined) {
      if (choice !== "auto") throw unavailable(device, ruledOut);
      skipped.push({ device, reason: ruledOut });
      continue;
    }
    const precision: Precision = device === "cpu" ? "fp32" : (options.precision ?? "fp32");
    let session: DeviceSession | undefined;
    let dim: number;
    let spec = options.spec;
    try {
      session = await openSession(device, precision, options);
      // The declared input decides before any run: a wrong size is named, not left to ORT's message.
      spec = fitSpecToModel(options.spec, session.inputShape, {
        label,
        specSource: options.specSource ?? "the preprocessing",
        sizeFromModel: options.sizeFromModel ?? false,
      });
      // One tiny run tells us the feature width whatever the model, and catches devices that start but
      // cannot run this graph (a missing kernel, a shader that fails to compile).
      const probe = await session.run(new Float32Array(pixelsOf(spec)), shapeOf(spec, 1));
      dim = probe.length;
    } catch (cause) {
      // Every error path ends the worker: a live worker thread keeps the process from exiting.
      await session?.close().catch(() => undefined);
      if (cause instanceof MosaicError) throw cause;
      if (device === "cpu") {
        throw new MosaicError(`Cannot load ONNX model ${label}: ${firstLine(cause)}`, {
          hint: "Check that the file is a valid ONNX model; delete a corrupt cached model to reconvert it.",
          cause,
        });
      }
      const reason = explainProviderFailure(device, cause);
      if (choice !== "auto") throw unavailable(device, reason, cause);
      skipped.push({ device, reason });
      continue;
    }
    const selection: DeviceSelection = { device, skipped };
    const perImage = pixelsOf(spec);
    const open = session;
    return {
      dim,
      spec,
      selection,
      precision,
      async embed(batch, n) {
        if (n === 0) return new Float32Array(0);
        if (batch.length < n * perImage) {
          throw new MosaicError(
            `Embed batch holds ${batch.length} values, expected ${n * perImage} for ${n} images`,
          );
        }
        const view = batch.length === n * perImage ? batch : batch.subarray(0, n * perImage);
        return open.run(view, shapeOf(spec, n));
      },
      close: () => open.close(),
    };
  }
  // Unreachable: the CPU is always a candidate of `auto` and either returns or throws above.
  throw new MosaicError(`No device could run the model (${skipped.map((s) => s.reason).join("; ")})`);
}

const pixelsOf = (spec: PreprocessSpec) => spec.height * spec.width * 3;
const shapeOf = (spec: PreprocessSpec, n: number) =>
  spec.layout === "nhwc" ? [n, spec.height, spec.width, 3] : [n, 3, spec.height, spec.width];
const firstLine = (error: unknown) =>
  String((error as Error)?.message ?? error)
    .split("\n")[0]!
    .slice(0, 300);

function unavailable(device: Device, reason: string, cause?: unknown): MosaicError {
  return new MosaicError(`Cannot run the model on ${device}: ${reason}`, {
    hint: `Use --device auto to fall back to the best device that works, or --device cpu.`,
    cause,
  });
}

async function openSession(
  device: Device,
  precision: Precision,
  options: EmbedderOptions,
): Promise<DeviceSession> {
  const source = options.onnxBytes ?? options.onnxPath;
  if (source === undefined) throw new Error("neither onnxPath nor onnxBytes given");
  const model =
    precision === "fp16"
      ? convertOnnxToFp16(typeof source === "string" ? new Uint8Array(await readFile(source)) : source)
      : source;
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: executionProvidersFor(device),
    graphOptimizationLevel: "all",
    ...(options.threads ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {}),
    // Idle ORT threads spin by default, burning the cores the decoder needs between model calls.
    extra: { session: { intra_op: { allow_spinning: "0" } } },
  };
  // Every device runs in a worker thread: session.run blocks its thread for the whole inference, and the
  // main thread has decoding to do meanwhile (bench/featurize measures the difference).
  const ortPath = createRequire(import.meta.url).resolve("onnxruntime-node");
  return openDeviceWorker(ortPath, model, sessionOptions);
}
