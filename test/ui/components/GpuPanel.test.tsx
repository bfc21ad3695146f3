import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { GpuPanel } from "../../../src/ui/components/GpuPanel.js";
import { gpuSample } from "../fixtures.js";

const history = [0, 50, 100].map((value, i) => ({ at: i * 1000, value }));

describe("GpuPanel", () => {
  it("shows utilization, sparkline, memory, temperature and power per GPU", () => {
    const gpus = [
      { sample: gpuSample(), history },
      { sample: gpuSample({ index: 1, utilization: 5, name: "NVIDIA A10" }), history: [] },
    ];
    const frame = render(<GpuPanel gpus={gpus} process={null} note={null} />).lastFrame() ?? "";
    expect(frame).toMatch(/GPU0\s+87%\s+▁▅█\s+10\.0\/79\.6 GiB\s+54°C\s+311 W/);
    expect(frame).toContain("NVIDIA H100 80GB HBM3");
    expect(frame).toMatch(/GPU1\s+5%/);
    expect(frame).toContain("NVIDIA A10");
  });

  it("shows n/a for readings nvidia-smi could not give", () => {
    const sample = gpuSample({ utilization: Number.NaN, powerW: Number.NaN, temperatureC: Number.NaN });
    const frame = render(<GpuPanel gpus={[{ sample }]} process={null} note={null} />).lastFrame() ?? "";
    expect(frame).toMatch(/GPU0\s+n\/a/);
    expect(frame).toContain("n/a °C");
    expect(frame).toContain("n/a W");
  });

  it("without a GPU says why and shows process CPU and RSS instead", () => {
    const frame =
      render(
        <GpuPanel
          gpus={[]}
          process={{ cpuPercent: 150, rssBytes: 512 * 1024 ** 2 }}
          processHistory={[
            { at: 0, value: 0 },
            { at: 1, value: 200 },
          ]}
          note="no NVIDIA GPU found (nvidia-smi not on PATH)"
        />,
      ).lastFrame() ?? "";
    expect(frame).toContain("no NVIDIA GPU found (nvidia-smi not on PATH)");
    expect(frame).toMatch(/CPU\s+150%\s+▁█\s+RSS 512 MiB/);
    expect(frame).not.toContain("GPU0");
  });

  it("before the first sample says it is waiting", () => {
    const frame = render(<GpuPanel gpus={[]} process={null} note={null} />).lastFrame() ?? "";
    expect(frame).toContain("waiting for the first sample");
    expect(frame).not.toContain("CPU");
  });
});
