import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import path from "node:path";
import type * as ort from "onnxruntime-node";
import type { Device } from "./device.js";

/** Where to read more; the README's GPU section explains drivers, Vulkan and the CUDA download. */
const SEE = "see README “Running on a GPU”";
/**
 * What the CUDA provider needs. The CUDA major depends on the ONNX Runtime build (its install script says
 * "cuda12", the 1.29 GPU release links CUDA 13), so point at ldd rather than name one.
 */
const CUDA_NEEDS =
  "needs libonnxruntime_providers_cuda.so from onnxruntime-node's CUDA download and the CUDA and cuDNN 9 libraries it links; `ldd` on it lists what is missing";

/** Session options for one device. WebGPU prefers NHWC kernels; validation is off because it costs per dispatch. */
export function executionProvidersFor(device: Device): ort.InferenceSession.ExecutionProviderConfig[] {
  switch (device) {
    case "cuda":
      return [{ name: "cuda" }, "cpu"];
    case "webgpu":
      // Nodes WebGPU has no kernel for fall back to the CPU EP inside the same session.
      return [{ name: "webgpu", preferredLayout: "NHWC", validationMode: "disabled" }, "cpu"];
    case "cpu":
      return ["cpu"];
  }
}

export interface PreflightEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  exists(file: string): boolean;
  /** Directory holding onnxruntime-node's native binaries, when it can be found. */
  ortBinaryDir: string | undefined;
}

/** The real environment: file checks only, no processes (cheap enough to run on every model load). */
export function defaultPreflightEnv(): PreflightEnv {
  return {
    platform: platform(),
    // biome-ignore lint/style/noRestrictedGlobals: the default of createEmbedder's preflightEnv (tests pass their own); the one read of the environment left in core
    env: process.env,
    exists: existsSync,
    ortBinaryDir: findOrtBinaryDir(),
  };
}

const LINUX_LIB_DIRS = [
  "/usr/lib/x86_64-linux-gnu",
  "/usr/lib/aarch64-linux-gnu",
  "/lib/x86_64-linux-gnu",
  "/lib/aarch64-linux-gnu",
  "/usr/lib64",
  "/usr/lib",
  "/lib64",
  "/lib",
  "/usr/local/lib",
];

/**
 * Reasons we already know a device cannot start, checked before asking ONNX Runtime. The native
 * libraries print their own complaints to stderr when they fail to load (Dawn: "Couldn't load Vulkan",
 * ORT: a red provider_bridge error), so ruling a device out by a file check keeps `auto` quiet on
 * machines without a GPU. Returns undefined when the device is worth trying.
 */
export function preflight(device: Device, env: PreflightEnv): string | undefined {
  if (device === "cuda") {
    if (env.platform !== "linux" && env.platform !== "win32")
      return `CUDA is not available on ${env.platform}`;
    const lib =
      env.platform === "win32" ? "onnxruntime_providers_cuda.dll" : "libonnxruntime_providers_cuda.so";
    if (env.ortBinaryDir && !env.exists(path.join(env.ortBinaryDir, lib))) {
      return `${lib} not installed (onnxruntime-node ships CPU and WebGPU only; ${SEE})`;
    }
    return undefined;
  }
  if (device === "webgpu" && env.platform === "linux") {
    // Dawn reaches the GPU through the Vulkan loader; without it no adapter can ever appear.
    const dirs = [...(env.env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean), ...LINUX_LIB_DIRS];
    if (!dirs.some((dir) => env.exists(path.join(dir, "libvulkan.so.1")))) {
      return `no Vulkan adapter (libvulkan.so.1 missing; install libvulkan1 and the GPU driver; ${SEE})`;
    }
  }
  return undefined;
}

/** One line for an execution provider that failed to start, from ONNX Runtime's (long) error. */
export function explainProviderFailure(device: Device, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (device === "cuda") {
    // The dynamic loader names the first library it could not open: the provider itself, or one of the
    // CUDA/cuDNN libraries it links (libcublasLt.so.12, libcudnn.so.9, …). Naming it is the whole fix.
    const missing = /([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file/.exec(message)?.[1];
    if (missing) return `CUDA provider did not load: ${missing} not found (${CUDA_NEEDS}; ${SEE})`;
    if (/Failed to load (shared )?library/i.test(message)) {
      return `CUDA provider did not load (${CUDA_NEEDS}; ${SEE})`;
    }
    if (/no CUDA-capable device|CUDA failure 100|cudaErrorNoDevice/i.test(message))
      return "no CUDA GPU found";
  }
  if (device === "webgpu" && /adapter/i.test(message)) {
    return `no WebGPU adapter (Vulkan found no GPU; check the driver, or VK_DRIVER_FILES for its ICD; ${SEE})`;
  }
  const firstLine = message.split("\n")[0] ?? message;
  // ORT prefixes messages with its source path and line; people need the words after it.
  const words = firstLine.replace(/^\S*onnxruntime\S*:\d+\s+\S+\s*/, "").trim();
  return `failed to start: ${words.length > 200 ? `${words.slice(0, 200)}…` : words}`;
}

/** bin/napi-v6/<platform>/<arch> inside onnxruntime-node, where ORT looks for provider libraries. */
function findOrtBinaryDir(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve("onnxruntime-node");
    // …/onnxruntime-node/dist/index.js → …/onnxruntime-node
    const root = path.dirname(path.dirname(entry));
    return path.join(root, "bin", "napi-v6", platform(), arch());
  } catch {
    return undefined;
  }
}
