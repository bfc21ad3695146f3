import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { EnginePanel } from "../../../src/ui/components/EnginePanel.js";

describe("EnginePanel", () => {
  it.each([
    ["cuda", "CUDA"],
    ["webgpu", "WebGPU"],
    ["cpu", "CPU"],
    ["coreml", "coreml"],
  ])("shows model, device %s as %s, batch size and threads", (device, label) => {
    const engine = { model: "resnet50", device, batchSize: 32, threads: 4 };
    const frame = render(<EnginePanel engine={engine} />).lastFrame() ?? "";
    expect(frame).toContain(`resnet50 · ${label} · batch 32 · 4 threads`);
  });

  it("says one thread, not one threads", () => {
    const engine = { model: "m", device: "cpu", batchSize: 1, threads: 1 };
    expect(render(<EnginePanel engine={engine} />).lastFrame()).toContain("batch 1 · 1 thread");
  });

  it("shows that the engine is still starting before the start event", () => {
    expect(render(<EnginePanel engine={null} />).lastFrame()).toContain("starting…");
  });
});
