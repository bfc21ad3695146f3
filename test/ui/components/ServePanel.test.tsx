import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { ServePanel } from "../../../src/ui/components/ServePanel.js";
import type { ServeStats } from "../../../src/ui/serve-stats.js";
import { gpuSample } from "../fixtures.js";

const stats: ServeStats = {
  requestsPerSecond: 12.34,
  p50Ms: 8.2,
  p99Ms: 142,
  queueDepth: 3,
  gpus: [gpuSample()],
  process: null,
  note: null,
};

describe("ServePanel", () => {
  it("shows throughput, latency percentiles, queue depth and GPUs", () => {
    const frame = render(<ServePanel stats={stats} />).lastFrame() ?? "";
    expect(frame).toContain("12.3 req/s");
    expect(frame).toContain("p50 8.2 ms");
    expect(frame).toContain("p99 142 ms");
    expect(frame).toContain("queue 3");
    expect(frame).toMatch(/GPU0\s+87%\s+10\.0\/79\.6 GiB/);
  });

  it("before any request and without a GPU shows dashes, the note and process stats", () => {
    const idle: ServeStats = {
      ...stats,
      requestsPerSecond: 0,
      p50Ms: null,
      p99Ms: null,
      queueDepth: 0,
      gpus: [],
      process: { cpuPercent: 3, rssBytes: 2 * 1024 ** 3 },
      note: "no NVIDIA GPU found (nvidia-smi not on PATH)",
    };
    const frame = render(<ServePanel stats={idle} />).lastFrame() ?? "";
    expect(frame).toContain("0.00 req/s");
    expect(frame).toContain("p50 – ms");
    expect(frame).toContain("queue 0");
    expect(frame).toContain("nvidia-smi not on PATH");
    expect(frame).toContain("CPU 3% · RSS 2.0 GiB");
  });
});
