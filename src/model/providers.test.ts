import { describe, expect, it } from "vitest";
import { candidateDevices, describeSelection } from "./device.js";
import { explainProviderFailure, type PreflightEnv, preflight } from "./providers.js";

const env = (files: string[], extra: Partial<PreflightEnv> = {}): PreflightEnv => ({
  platform: "linux",
  env: {},
  exists: (f) => files.includes(f),
  ortBinaryDir: "/ort/bin",
  ...extra,
});

describe("preflight", () => {
  it("rules CUDA out when onnxruntime-node has no CUDA provider library", () => {
    expect(preflight("cuda", env([]))).toMatch(/libonnxruntime_providers_cuda\.so not installed/);
    expect(preflight("cuda", env(["/ort/bin/libonnxruntime_providers_cuda.so"]))).toBeUndefined();
  });

  it("rules WebGPU out on Linux without a Vulkan loader, looking in LD_LIBRARY_PATH too", () => {
    expect(preflight("webgpu", env([]))).toMatch(/libvulkan\.so\.1 missing/);
    expect(preflight("webgpu", env(["/usr/lib/x86_64-linux-gnu/libvulkan.so.1"]))).toBeUndefined();
    const custom = env(["/opt/vk/libvulkan.so.1"], { env: { LD_LIBRARY_PATH: "/opt/vk" } });
    expect(preflight("webgpu", custom)).toBeUndefined();
  });

  it("never rules the CPU out", () => {
    expect(preflight("cpu", env([]))).toBeUndefined();
  });
});

describe("explainProviderFailure", () => {
  it("turns ORT's errors into one line with a pointer to the README", () => {
    const cuda = new Error("OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library");
    expect(explainProviderFailure("cuda", cuda)).toMatch(/^CUDA provider did not load .*README/);
    const webgpu = new Error(
      "/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 lambda adapter_result.status == Success was false. Failed to get a WebGPU adapter: No supported adapters",
    );
    expect(explainProviderFailure("webgpu", webgpu)).toMatch(/^no WebGPU adapter/);
    expect(explainProviderFailure("webgpu", new Error("/onnxruntime_src/x.cc:1 f() boom\nmore"))).toBe(
      "failed to start: boom",
    );
  });

  it("names the CUDA library the loader could not find", () => {
    // Recorded from onnxruntime-node 1.29 with the CUDA provider present but no CUDA 13 user-space libraries.
    const recorded = new Error(
      "/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1862 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: No such file or directory",
    );
    expect(explainProviderFailure("cuda", recorded)).toMatch(
      /^CUDA provider did not load: libcublasLt\.so\.13 not found \(needs .*cuDNN 9 libraries it links; `ldd` on it lists what is missing; see README/,
    );
  });
});

describe("device order", () => {
  it("tries cuda, then webgpu, then cpu for auto; only the named device otherwise", () => {
    expect(candidateDevices("auto")).toEqual(["cuda", "webgpu", "cpu"]);
    expect(candidateDevices("webgpu")).toEqual(["webgpu"]);
    expect(describeSelection({ device: "cpu", skipped: [{ device: "webgpu", reason: "no adapter" }] })).toBe(
      "cpu (webgpu: no adapter)",
    );
  });

  it("names the skipped devices without their driver advice when brief", () => {
    const selection = {
      device: "cpu" as const,
      skipped: [
        { device: "cuda" as const, reason: "libonnxruntime_providers_cuda.so not installed (see README)" },
        { device: "webgpu" as const, reason: "no Vulkan adapter (libvulkan.so.1 missing)" },
      ],
    };
    expect(describeSelection(selection, { brief: true })).toBe(
      "cpu (cuda and webgpu not available here; --verbose says why)",
    );
    expect(describeSelection(selection)).toContain("libvulkan.so.1 missing");
  });
});
