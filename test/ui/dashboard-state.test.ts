import { describe, expect, it } from "vitest";
import { type FeaturizeEvent, STAGES } from "../../src/contracts/events.js";
import {
  type DashboardState,
  EXAMPLES_PER_REASON,
  HISTORY_MS,
  initialDashboardState,
  RATE_TIME_CONSTANT_MS,
  reduceDashboard,
  stageFraction,
} from "../../src/ui/dashboard-state.js";
import { engine, gpuSample, sampleRun, summary } from "./fixtures.js";

const reduceAll = (events: FeaturizeEvent[], state = initialDashboardState()): DashboardState =>
  events.reduce(reduceDashboard, state);

function stage(state: DashboardState, name: (typeof STAGES)[number]) {
  const s = state.stages.find((x) => x.stage === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const progress = (at: number, done: number, failed = 0, total: number | null = 1000): FeaturizeEvent => ({
  type: "progress",
  at,
  stage: "download",
  done,
  failed,
  total,
});

describe("initialDashboardState", () => {
  it("is idle with one empty line per stage in pipeline order", () => {
    const state = initialDashboardState();
    expect(state.status).toBe("idle");
    expect(state.stages.map((s) => s.stage)).toEqual([...STAGES]);
    expect(state.stages.every((s) => s.done === 0 && s.rate === null && s.startedAt === null)).toBe(true);
    expect(state.failures).toEqual([]);
    expect(state.gpus).toEqual([]);
  });
});

describe("reduceDashboard", () => {
  it("never mutates the state it is given", () => {
    let state = deepFreeze(initialDashboardState());
    for (const event of sampleRun()) {
      const before = JSON.stringify(state);
      const next = reduceDashboard(state, event);
      expect(JSON.stringify(state)).toBe(before);
      state = deepFreeze(next);
    }
    expect(state.status).toBe("done");
  });

  it("start records engine, catalog and total and begins running", () => {
    const state = reduceAll([{ type: "start", at: 5000, engine, catalog: "c.csv", total: 42 }]);
    expect(state).toMatchObject({ status: "running", engine, catalog: "c.csv", total: 42, startedAt: 5000 });
    expect(state.elapsedSeconds).toBe(0);
  });

  it("elapsed time comes from event timestamps, and never runs backwards", () => {
    const state = reduceAll([
      { type: "start", at: 1000, engine, catalog: "c.csv", total: null },
      progress(4500, 1),
      progress(4000, 2),
    ]);
    expect(state.elapsedSeconds).toBe(3.5);
    expect(state.lastAt).toBe(4500);
  });

  it("has no rate until a full window has passed, then the window's items per second", () => {
    let state = reduceAll([progress(0, 0), progress(400, 30)]);
    expect(stage(state, "download").rate).toBeNull();
    expect(stage(state, "download").etaSeconds).toBeNull();
    expect(stage(state, "download").done).toBe(30);
    state = reduceDashboard(state, progress(2000, 100));
    expect(stage(state, "download").rate).toBe(50);
    // 900 left at 50/s
    expect(stage(state, "download").etaSeconds).toBe(18);
  });

  it("smooths the rate with a time-weighted moving average that counts failures as throughput", () => {
    const state = reduceAll([progress(0, 0), progress(2000, 100), progress(4000, 250, 50)]);
    const alpha = 1 - Math.exp(-2000 / RATE_TIME_CONSTANT_MS);
    const expected = alpha * 100 + (1 - alpha) * 50;
    const s = stage(state, "download");
    expect(s.rate).toBeCloseTo(expected, 10);
    expect(s.rate).toBeGreaterThan(50);
    expect(s.rate).toBeLessThan(100);
    expect(s.etaSeconds).toBeCloseTo(700 / expected, 10);
    expect(stageFraction(s)).toBe(0.3);
  });

  it("keeps the last known total when a progress event has none", () => {
    const state = reduceAll([progress(0, 1, 0, 200), progress(10, 2, 0, null)]);
    expect(stage(state, "download").total).toBe(200);
  });

  it("has no ETA or fraction when the total is unknown", () => {
    const state = reduceAll([progress(0, 0, 0, null), progress(2000, 100, 0, null)]);
    const s = stage(state, "download");
    expect(s.rate).toBe(50);
    expect(s.etaSeconds).toBeNull();
    expect(stageFraction(s)).toBeNull();
  });

  it("stage-done finishes the stage with its average rate and leaves other stages alone", () => {
    const state = reduceAll([
      progress(1000, 5),
      { type: "progress", at: 1000, stage: "decode", done: 1, failed: 0, total: null },
      { type: "stage-done", at: 11_000, stage: "download", done: 480, failed: 20 },
    ]);
    const s = stage(state, "download");
    expect(s).toMatchObject({ done: 480, failed: 20, finishedAt: 11_000, etaSeconds: 0, rate: 50 });
    expect(stageFraction(s)).toBe(1);
    expect(stage(state, "decode").finishedAt).toBeNull();
    expect(stage(state, "embed").startedAt).toBeNull();
  });

  it("groups failures by reason, most frequent first, keeping the latest examples newest first", () => {
    const failed = (at: number, reason: "timeout" | "http_404", row: number): FeaturizeEvent => ({
      type: "item-failed",
      at,
      stage: "download",
      row,
      id: `id${row}`,
      reason,
      message: `m${row}`,
    });
    const state = reduceAll([
      failed(1, "timeout", 1),
      failed(2, "http_404", 2),
      failed(3, "http_404", 3),
      failed(4, "http_404", 4),
      failed(5, "http_404", 5),
    ]);
    expect(state.failedTotal).toBe(5);
    expect(state.failures.map((f) => [f.reason, f.count])).toEqual([
      ["http_404", 4],
      ["timeout", 1],
    ]);
    const http = state.failures[0];
    expect(http?.examples).toHaveLength(EXAMPLES_PER_REASON);
    expect(http?.examples.map((e) => e.row)).toEqual([5, 4, 3]);
    expect(http?.examples[0]).toMatchObject({ id: "id5", message: "m5", stage: "download" });
  });

  it("keeps per-GPU utilization history for the last minute only", () => {
    const gpuEvent = (at: number, utils: number[]): FeaturizeEvent => ({
      type: "gpu",
      at,
      gpus: utils.map((utilization, index) => gpuSample({ index, utilization })),
      process: { cpuPercent: 10, rssBytes: 1 },
      note: null,
    });
    const events = [gpuEvent(0, [10, 90]), gpuEvent(30_000, [20, 80]), gpuEvent(HISTORY_MS + 1, [30, 70])];
    const state = reduceAll(events);
    expect(state.gpus).toHaveLength(2);
    expect(state.gpus[0]?.history.map((p) => p.value)).toEqual([20, 30]);
    expect(state.gpus[1]?.history.map((p) => p.value)).toEqual([80, 70]);
    expect(state.gpus[1]?.sample.utilization).toBe(70);
    expect(state.gpuNote).toBeNull();
  });

  it("without a GPU keeps the note and the process CPU/RSS history", () => {
    const state = reduceAll([
      { type: "gpu", at: 0, gpus: [], process: { cpuPercent: 50, rssBytes: 100 }, note: "no GPU (why)" },
      { type: "gpu", at: 1000, gpus: [], process: { cpuPercent: 150, rssBytes: 200 }, note: "no GPU (why)" },
    ]);
    expect(state.gpus).toEqual([]);
    expect(state.gpuNote).toBe("no GPU (why)");
    expect(state.process).toEqual({ cpuPercent: 150, rssBytes: 200 });
    expect(state.processHistory.map((p) => p.value)).toEqual([50, 150]);
  });

  it("goes running → stopping → done and keeps the summary", () => {
    let state = reduceAll([{ type: "start", at: 0, engine, catalog: "c", total: null }]);
    state = reduceDashboard(state, { type: "stopping", at: 10, reason: "SIGINT" });
    expect(state).toMatchObject({ status: "stopping", stopReason: "SIGINT" });
    state = reduceDashboard(state, { type: "done", at: 20, summary: summary({ interrupted: true }) });
    expect(state.status).toBe("done");
    expect(state.summary?.interrupted).toBe(true);
    state = reduceDashboard(state, { type: "stopping", at: 30, reason: "SIGTERM" });
    expect(state.status).toBe("done");
  });

  it("progress before start still counts as running", () => {
    expect(reduceAll([progress(0, 1)]).status).toBe("running");
  });

  it("ignores an event type it doesn't know instead of failing", () => {
    const state = initialDashboardState();
    const unknown = { type: "future", at: 1 } as unknown as FeaturizeEvent;
    expect(reduceDashboard(state, unknown)).toBe(state);
  });
});
