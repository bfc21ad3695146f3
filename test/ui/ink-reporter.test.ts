import { describe, expect, it } from "vitest";
import { createInkReporter } from "../../src/ui/ink-reporter.js";
import { engine, MemoryStream, sampleRun, stripAnsi } from "./fixtures.js";

describe("createInkReporter", () => {
  it("draws nothing before the first event", async () => {
    const stream = new MemoryStream(true);
    const reporter = createInkReporter(stream, { env: {} });
    await reporter.close();
    expect(stream.text).toBe("");
  });

  it("renders the dashboard to the given stream and leaves the final frame with the summary", async () => {
    const stream = new MemoryStream(true);
    const reporter = createInkReporter(stream, { env: {}, frameMs: 0 });
    for (const event of sampleRun()) reporter.emit(event);
    await reporter.close();
    const text = stripAnsi(stream.text);
    expect(text).toContain("mosaic featurize");
    expect(text).toContain("resnet50 · CUDA · batch 32 · 4 threads");
    expect(text).toContain("500/500");
    expect(text).toContain("Indexed 480 of 500 rows in 1m 02s → ./out");
  });

  it("coalesces bursts of progress into the next frame and draws the latest state on close", async () => {
    const stream = new MemoryStream(true);
    // A frame interval no test will reach: only urgent events and close() draw.
    const reporter = createInkReporter(stream, { env: {}, frameMs: 60_000 });
    reporter.emit({ type: "start", at: 0, engine, catalog: "c.csv", total: 1000 });
    for (let i = 1; i <= 100; i++) {
      reporter.emit({ type: "progress", at: i * 10, stage: "embed", done: i, failed: 0, total: 1000 });
    }
    expect(stripAnsi(stream.text)).not.toContain("100/1,000");
    await reporter.close();
    expect(stripAnsi(stream.text)).toContain("100/1,000");
  });

  it("step before the dashboard writes a plain line when nobody watches; after, it stays quiet", async () => {
    const stream = new MemoryStream(false);
    let t = 0;
    const reporter = createInkReporter(stream, { env: {}, now: () => (t += 500) });
    await expect(reporter.step?.("Loading model", async () => "m")).resolves.toBe("m");
    expect(stream.text).toBe("Loading model… done (0.5s)\n");
    reporter.emit({ type: "start", at: 0, engine, catalog: "c.csv", total: null });
    const before = stream.text;
    await expect(reporter.step?.("Flushing", async () => 1)).resolves.toBe(1);
    expect(stream.text).toBe(before);
    await reporter.close();
  });
});
