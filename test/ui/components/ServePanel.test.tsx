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
  inFlight: 4,
  errorRate: 0.004,
  meanBatchSize: 3.25,
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
    expect(frame).toContain("embedding 4");
    expect(frame).toContain("5xx 0.4%");
    expect(frame).toContain("batch 3.3");
    expect(frame).toMatch(/GPU0\s+87%\s+10\.0\/79\.6 GiB/);
    // No address given: no status line.
    expect(frame).not.toContain("logs");
  });

  it("lists every GPU, and with an address says where, what state and where the logs are", () => {
    const twoGpus: ServeStats = { ...stats, gpus: [gpuSample(), gpuSample({ index: 1, utilization: 12 })] };
    const frame =
      render(
        <ServePanel
          stats={twoGpus}
          color={false}
          url="http://127.0.0.1:8890"
          status="stopping"
          logFile="/cache/serve.log"
        />,
      ).lastFrame() ?? "";
    expect(frame).toMatch(/GPU0\s+87%/);
    expect(frame).toMatch(/GPU1\s+12%/);
    expect(frame).toContain(
      "http://127.0.0.1:8890 · stopping: finishing in-flight requests · logs → /cache/serve.log",
    );
  });

  it("before any request and without a GPU shows dashes, the note and process stats", () => {
    const idle: ServeStats = {
      ...stats,
      requestsPerSecond: 0,
      p50Ms: null,
      p99Ms: null,
      queueDepth: 0,
      inFlight: 0,
      errorRate: null,
      meanBatchSize: null,
      gpus: [],
      process: { cpuPercent: 3, rssBytes: 2 * 1024 ** 3 },
      note: "no NVIDIA GPU found (nvidia-smi not on PATH)",
    };
    const frame = render(<ServePanel stats={idle} />).lastFrame() ?? "";
    expect(frame).toContain("0.00 req/s");
    expect(frame).toContain("p50 – ms");
    expect(frame).toContain("queue 0");
    expect(frame).toContain("5xx –");
    expect(frame).toContain("batch –");
    expect(frame).toContain("nvidia-smi not on PATH");
    expect(frame).toContain("CPU 3% · RSS 2.0 GiB");
  });
});
