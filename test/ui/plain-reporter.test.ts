import { describe, expect, it } from "vitest";
import type { FeaturizeEvent } from "../../src/contracts/events.js";
import { createPlainReporter } from "../../src/ui/plain-reporter.js";
import { engine, MemoryStream, sampleRun } from "./fixtures.js";

function clock(...times: number[]) {
  return () => times.shift() ?? 0;
}

describe("createPlainReporter", () => {
  it("writes plain lines with no ANSI escapes, even for hostile messages", () => {
    const stream = new MemoryStream();
    const reporter = createPlainReporter(stream, { env: {} });
    const events = sampleRun();
    events.splice(4, 0, {
      type: "item-failed",
      at: 3650,
      stage: "download",
      row: 99,
      id: "evil",
      reason: "http_4xx",
      message: "\u001b[2J\u001b[31mforbidden\r\nsecond line",
    });
    for (const event of events) reporter.emit(event);
    reporter.close();
    expect(stream.text).not.toContain("\u001b");
    expect(stream.text).not.toContain("\r");
    expect(stream.text).toContain("row 99 (id evil): [2J [31mforbidden second line");
  });

  it("starts with what it is doing and ends with a summary of failures by reason", () => {
    const stream = new MemoryStream();
    const reporter = createPlainReporter(stream, { env: {} });
    for (const event of sampleRun()) reporter.emit(event);
    reporter.close();
    const lines = stream.text.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "[0:00] featurizing catalog.csv (500 rows) with resnet50 on CUDA (batch 32, 4 threads)",
    );
    expect(lines).toContain("[0:10] download done: 480 ok, 20 failed in 9.5s (52.6/s)");
    expect(lines.slice(-6)).toEqual([
      "Indexed 480 of 500 rows in 1m 02s → ./out",
      "20 failed: http_404 12, timeout 8",
      "  http_404 (1), latest:",
      "    row 17 (id abc): HTTP 404 Not Found",
      "  timeout (1), latest:",
      "    row 18: no response in 30s",
    ]);
  });

  it("prints progress at most once per interval of event time", () => {
    const stream = new MemoryStream();
    const reporter = createPlainReporter(stream, { intervalMs: 3000, env: {} });
    reporter.emit({ type: "start", at: 0, engine, catalog: "c.csv", total: 1000 });
    // An event every 500 ms for 10 s.
    for (let i = 1; i <= 20; i++) {
      reporter.emit({
        type: "progress",
        at: i * 500,
        stage: "download",
        done: i * 10,
        failed: 0,
        total: 1000,
      });
    }
    const progressLines = stream.text.split("\n").filter((l) => l.includes("download "));
    expect(progressLines).toEqual([
      "[0:03] download 60/1,000 6% 20.0/s ETA 47s",
      "[0:06] download 120/1,000 12% 20.0/s ETA 44s",
      "[0:09] download 180/1,000 18% 20.0/s ETA 41s",
    ]);
  });

  it("a stage end prints at once and restarts the interval", () => {
    const stream = new MemoryStream();
    const reporter = createPlainReporter(stream, { intervalMs: 3000, env: {} });
    const p = (at: number, stage: "download" | "decode", done: number): FeaturizeEvent => ({
      type: "progress",
      at,
      stage,
      done,
      failed: 0,
      total: 100,
    });
    reporter.emit(p(0, "download", 0));
    reporter.emit(p(1000, "decode", 5));
    reporter.emit({ type: "stage-done", at: 2000, stage: "download", done: 100, failed: 0 });
    reporter.emit(p(4000, "decode", 50));
    reporter.emit(p(5000, "decode", 60));
    const lines = stream.text.trimEnd().split("\n");
    expect(lines).toEqual([
      "[0:02] download done: 100 ok in 2.0s (50.0/s)",
      "[0:05] decode 60/100 60% 14.1/s ETA 2.8s",
    ]);
  });

  it("shows GPU or, without one, process CPU and RSS on progress lines", () => {
    const stream = new MemoryStream();
    const reporter = createPlainReporter(stream, { intervalMs: 1000, env: {} });
    reporter.emit({ type: "progress", at: 0, stage: "embed", done: 0, failed: 0, total: null });
    reporter.emit({
      type: "gpu",
      at: 1000,
      gpus: [],
      process: { cpuPercent: 180, rssBytes: 700 * 1024 ** 2 },
      note: "no NVIDIA GPU found (nvidia-smi not on PATH)",
    });
    expect(stream.text).toBe("[0:01] embed 0 –/s | cpu 180% rss 700 MiB\n");
  });

  it("reports stopping at once", () => {
    const stream = new MemoryStream();
    const reporter = createPlainReporter(stream, { env: {} });
    reporter.emit({ type: "stopping", at: 0, reason: "SIGINT" });
    expect(stream.text).toBe("[0:00] stopping (SIGINT): finishing work in flight…\n");
  });

  it("on close without done leaves the last progress in the log", () => {
    const stream = new MemoryStream();
    const reporter = createPlainReporter(stream, { env: {} });
    reporter.emit({ type: "progress", at: 0, stage: "download", done: 0, failed: 0, total: 10 });
    reporter.emit({ type: "progress", at: 500, stage: "download", done: 3, failed: 1, total: 10 });
    expect(stream.text).toBe("");
    reporter.close();
    expect(stream.text).toBe("[0:00] download 4/10 40% –/s ETA –\n");
  });

  it("step writes 'label… done (1.2s)' timed by the injected clock when not a TTY", async () => {
    const stream = new MemoryStream(false);
    const reporter = createPlainReporter(stream, { now: clock(1000, 2200), env: {} });
    const result = await reporter.step?.("Converting model", async () => 42);
    expect(result).toBe(42);
    expect(stream.text).toBe("Converting model… done (1.2s)\n");
  });

  it("step says failed and rethrows the work's error", async () => {
    const stream = new MemoryStream(false);
    const reporter = createPlainReporter(stream, { now: clock(0, 300), env: {} });
    const boom = new Error("boom");
    await expect(reporter.step?.("Loading index", () => Promise.reject(boom))).rejects.toBe(boom);
    expect(stream.text).toBe("Loading index… failed (0.3s)\n");
  });

  it("step on a TTY under CI still writes a plain line", async () => {
    const stream = new MemoryStream(true);
    const reporter = createPlainReporter(stream, { now: clock(0, 100), env: { CI: "true" } });
    await reporter.step?.("Loading", async () => undefined);
    expect(stream.text).toBe("Loading… done (0.1s)\n");
  });
});
