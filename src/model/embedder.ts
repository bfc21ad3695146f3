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
import type { PixelBatch, PixelFormat, PreprocessSpec } from "../contracts/preprocess-spec.js";
import { toPixelFormat } from "./pixel-format.js";
import { addUint8Input, declaredImageInput } from "./uint8-input.js";
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
  /**
   * The input the graph takes: uint8 pixels with normalizing (and NCHW transpose) added inside the graph,
   * a quarter of the bytes per batch; or float32 as the model was exported. `auto` (default) takes uint8
   * where it measured faster (GPU devices; bench/gpu/NOTES.md) and falls back to float32 when the rewrite
   * does not apply or the device cannot run it.
   */
  pixels?: PixelFormat | "auto";
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
  /** The form `embed` takes without converting: decode to this one (featurize does). */
  readonly pixels: PixelFormat;
  /** Either form is accepted; the other one is converted first (a copy). */
  embed(batch: PixelBatch, n: number): Promise<Float32Array>;
  close(): Promise<void>;
}

/** A session on one device: the in-process one (CPU) or one in a worker thread (GPUs). */
interface DeviceSession {
  readonly inputShape: DeclaredShape;
  run(batch: PixelBatch, shape: readonly number[]): Promise<Float32Array>;
  close(): Promise<void>;
}

/** Where the uint8 input measured faster than float32 (see `EmbedderOptions.pixels`). */
const uint8ByDefault = (device: Device) => device !== "cpu";

/** The input form `pixels: "auto"` picks on a device choice (`auto` may end on any; float32 is safe). */
export const defaultPixelFormat = (choice: DeviceChoice): PixelFormat =>
  choice !== "auto" && uint8ByDefault(choice) ? "uint8" : "float32";

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
    const pixels = options.pixels ?? "auto";
    const formats: PixelFormat[] =
      pixels === "auto" ? (uint8ByDefault(device) ? ["uint8", "float32"] : ["float32"]) : [pixels];
    let started: Started | undefined;
    let failure: unknown;
    for (const format of formats) {
      try {
        started = await start(device, precision, format, options, label);
        if (started) break;
      } catch (cause) {
        // A model that does not fit its preprocessing is the user's to fix, whatever the input form.
        if (cause instanceof MosaicError) throw cause;
        failure = cause;
      }
    }
    if (!started && formats.length === 1 && formats[0] === "uint8" && failure === undefined) {
      throw new MosaicError(`Model ${label} cannot take uint8 pixels`, {
        hint: "Its input is not a float image tensor of the preprocessing's size; leave pixels at auto.",
      });
    }
    if (!started) {
      const cause = failure;
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
    const { session, spec, dim, format } = started;
    const selection: DeviceSelection = { device, skipped };
    const perImage = pixelsOf(spec);
    const open = session;
    return {
      dim,
      spec,
      selection,
      precision,
      pixels: format,
      async embed(given, n) {
        if (n === 0) return new Float32Array(0);
        if (given.length < n * perImage) {
          throw new MosaicError(
            `Embed batch holds ${given.length} values, expected ${n * perImage} for ${n} images`,
          );
        }
        const sized = given.length === n * perImage ? given : given.subarray(0, n * perImage);
        return open.run(toPixelFormat(sized, format, spec, n), shapeOf(spec, n, format));
      },
      close: () => open.close(),
    };
  }
  // Unreachable: the CPU is always a candidate of `auto` and either returns or throws above.
  throw new MosaicError(`No device could run the model (${skipped.map((s) => s.reason).join("; ")})`);
}

const pixelsOf = (spec: PreprocessSpec) => spec.height * spec.width * 3;
// uint8 pixels are NHWC whatever the model's layout: the graph transposes them (uint8-input.ts).
const shapeOf = (spec: PreprocessSpec, n: number, format: PixelFormat) =>
  spec.layout === "nhwc" || format === "uint8"
    ? [n, spec.height, spec.width, 3]
    : [n, 3, spec.height, spec.width];

interface Started {
  session: DeviceSession;
  spec: PreprocessSpec;
  dim: number;
  format: PixelFormat;
}

/**
 * Opens the session for one input form and probes it. Resolves undefined when the uint8 rewrite does not
 * apply to this model; rejects with ORT's error when the device cannot run it (the session closed).
 */
async function start(
  device: Device,
  precision: Precision,
  format: PixelFormat,
  options: EmbedderOptions,
  label: string,
): Promise<Started | undefined> {
  const fit = (shape: DeclaredShape) =>
    fitSpecToModel(options.spec, shape, {
      label,
      specSource: options.specSource ?? "the preprocessing",
      sizeFromModel: options.sizeFromModel ?? false,
    });
  const source = options.onnxBytes ?? options.onnxPath;
  if (source === undefined) throw new Error("neither onnxPath nor onnxBytes given");
  let model: string | Uint8Array = source;
  let spec = options.spec;
  if (precision === "fp16" || format === "uint8") {
    const bytes = typeof source === "string" ? new Uint8Array(await readFile(source)) : source;
    // fp16 first: the uint8 prefix then normalizes in float32 and feeds the fp16 graph's input Cast.
    model = precision === "fp16" ? convertOnnxToFp16(bytes) : bytes;
    if (format === "uint8") {
      // The rewritten input is NHWC bytes whatever the model's layout, so the original declaration decides.
      spec = fit(declaredImageInput(bytes)?.shape ?? []);
      const rewritten = addUint8Input(model, spec);
      if (!rewritten) return undefined;
      model = rewritten;
    }
  }
  let session: DeviceSession | undefined;
  try {
    session = await openSession(device, model, options);
    // The declared input decides before any run: a wrong size is named, not left to ORT's message.
    if (format === "float32") spec = fit(session.inputShape);
    // One tiny run tells us the feature width whatever the model, and catches devices that start but
    // cannot run this graph (a missing kernel, a shader that fails to compile).
    const blank = format === "uint8" ? new Uint8Array(pixelsOf(spec)) : new Float32Array(pixelsOf(spec));
    const probe = await session.run(blank, shapeOf(spec, 1, format));
    return { session, spec, dim: probe.length, format };
  } catch (cause) {
    // Every error path ends the worker: a live worker thread keeps the process from exiting.
    await session?.close().catch(() => undefined);
    throw cause;
  }
}

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
  model: string | Uint8Array,
  options: EmbedderOptions,
): Promise<DeviceSession> {
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
