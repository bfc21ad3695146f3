import { describe, expect, it } from "vitest";
import { createJsonReporter } from "../../src/ui/json-reporter.js";
import { gpuSample, MemoryStream, sampleRun } from "./fixtures.js";

describe("createJsonReporter", () => {
  it("writes a note (a damaged cache being rebuilt) as one parseable line", () => {
    const stream = new MemoryStream();
    createJsonReporter(stream).note?.("Ball tree x is damaged; discarding it and rebuilding.");
    expect(
      stream.text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    ).toEqual([{ type: "note", text: "Ball tree x is damaged; discarding it and rebuilding." }]);
  });

  it("writes one parseable JSON line per event, in order", () => {
    const stream = new MemoryStream();
    const reporter = createJsonReporter(stream);
    const events = sampleRun();
    for (const event of events) reporter.emit(event);
    reporter.close();
    const lines = stream.text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(events.length);
    const parsed = lines.map((line) => JSON.parse(line) as { type: string });
    expect(parsed.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(parsed[0]).toEqual(events[0]);
  });

  it("writes absent ids and unreadable GPU values as null so every line has the same keys", () => {
    const stream = new MemoryStream();
    const reporter = createJsonReporter(stream);
    reporter.emit({
      type: "item-failed",
      at: 1,
      stage: "decode",
      row: 3,
      id: undefined,
      reason: "decode_failed",
      message: "bad",
    });
    reporter.emit({
      type: "gpu",
      at: 2,
      gpus: [gpuSample({ powerW: Number.NaN })],
      process: { cpuPercent: 1, rssBytes: 2 },
      note: null,
    });
    const [failed, gpu] = stream.text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(failed).toHaveProperty("id", null);
    expect(gpu.gpus[0].powerW).toBeNull();
    expect(gpu.gpus[0].utilization).toBe(87);
  });

  it("thins progress to a few events per second per stage, keeping a stage's completing event", () => {
    const stream = new MemoryStream();
    const reporter = createJsonReporter(stream, 250);
    // 120 rows, one progress event each, 10 ms apart: 1.2 s of download progress.
    for (let i = 1; i <= 120; i++)
      reporter.emit({ type: "progress", at: i * 10, stage: "download", done: i, failed: 0, total: 120 });
    reporter.emit({ type: "progress", at: 1205, stage: "decode", done: 1, failed: 0, total: null });
    const lines = stream.text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { stage: string; done: number; at: number });
    const download = lines.filter((e) => e.stage === "download");
    expect(download.length).toBeLessThanOrEqual(7);
    expect(download.at(-1)?.done).toBe(120);
    for (let i = 1; i < download.length - 1; i++)
      expect(download[i]!.at - download[i - 1]!.at).toBeGreaterThanOrEqual(250);
    // Another stage has its own clock.
    expect(lines.filter((e) => e.stage === "decode")).toHaveLength(1);
  });

  it("step runs the work and writes nothing", async () => {
    const stream = new MemoryStream(true);
    const reporter = createJsonReporter(stream);
    await expect(reporter.step?.("Loading", async () => "ok")).resolves.toBe("ok");
    expect(stream.text).toBe("");
  });
});
