import { describe, expect, it, vi } from "vitest";
import type { MetricsSnapshot } from "../../src/server/server-metrics.js";
import { createServePanelReporter, serveSummaryLine } from "../../src/ui/serve-panel-reporter.js";
import { gpuSample, MemoryStream, stripAnsi } from "./fixtures.js";

const BOUNDS = [0.01, 0.05, 0.1];

function metrics(requests: number): MetricsSnapshot {
  // Every request took 10–50 ms.
  return {
    requests,
    serverErrors: 0,
    latency: { bounds: BOUNDS, cumulative: [0, requests, requests], count: requests, sum: 0 },
    batches: requests,
    batchedImages: requests,
    queueDepth: 1,
    inFlight: 2,
  };
}

describe("createServePanelReporter", () => {
  it("draws nothing until the server listens, and close() before that leaves nothing", async () => {
    const stream = new MemoryStream(true);
    const panel = createServePanelReporter(stream, { env: {} });
    panel.gpu({ gpus: [gpuSample()], process: null, note: null });
    await panel.close();
    expect(stream.text).toBe("");
  });

  it("draws the interval's stats with GPU samples and status, then leaves a summary line", async () => {
    const stream = new MemoryStream(true);
    let requests = 0;
    let clock = 0;
    const panel = createServePanelReporter(stream, {
      env: {},
      color: false,
      // No timer tick in this test: the frames come from listening, ready, stopping and close. (Under CI,
      // Ink writes only the last frame, so only what close() leaves is checked.)
      intervalMs: 60_000,
      // Each reading is one (fake) second after the last.
      now: () => (clock += 1000),
      logFile: "/cache/serve.log",
    });
    panel.gpu({ gpus: [gpuSample()], process: { cpuPercent: 1, rssBytes: 1 }, note: null });
    panel.listening({ url: "http://127.0.0.1:8890", artworks: 12, readMetrics: () => metrics(requests) });
    panel.ready();
    requests = 30;
    panel.stopping();
    await panel.close();
    const text = stripAnsi(stream.text);
    expect(text).toContain("http://127.0.0.1:8890 · stopped · logs → /cache/serve.log");
    expect(text).toMatch(/GPU0\s+87%\s+10\.0\/79\.6 GiB/);
    // 30 requests between the listening reading and the closing one, one fake second apart.
    expect(text).toMatch(
      /serve\s+30\.0 req\/s\s+p50 30\.0 ms\s+p99 49\.6 ms\s+5xx 0%\s+queue 1\s+embedding 2\s+batch 1\.0/,
    );
    const lines = text.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(
      /^Served 30 requests in \d+\.\ds · p50 30\.0 ms · p99 49\.6 ms · 5xx 0% · logs in \/cache\/serve\.log$/,
    );
  });

  it("reads the metrics once per interval until closed", async () => {
    const stream = new MemoryStream(true);
    const read = vi.fn(() => metrics(0));
    const panel = createServePanelReporter(stream, { env: {}, intervalMs: 10 });
    panel.listening({ url: "http://127.0.0.1:1", artworks: 1, readMetrics: read });
    await vi.waitFor(() => expect(read.mock.calls.length).toBeGreaterThanOrEqual(3));
    await panel.close();
    const calls = read.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(read.mock.calls.length).toBe(calls);
  });

  it("sums up an idle run without percentiles", () => {
    expect(serveSummaryLine(metrics(0), 65)).toBe("Served 0 requests in 1m 05s");
    expect(serveSummaryLine(metrics(1), 2, "/c/serve.log")).toBe(
      "Served 1 request in 2.0s · p50 30.0 ms · p99 49.6 ms · 5xx 0% · logs in /c/serve.log",
    );
  });
});
