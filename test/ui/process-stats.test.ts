import { describe, expect, it } from "vitest";
import { createProcessStats } from "../../src/infra/process-stats.js";

describe("createProcessStats", () => {
  it("computes CPU % from cpuUsage deltas over the wall time between samples", () => {
    const cpu = [
      { user: 0, system: 0 },
      { user: 400_000, system: 100_000 },
      { user: 2_400_000, system: 100_000 },
    ];
    const times = [0, 1000, 2000];
    const stats = createProcessStats({
      cpuUsage: () => cpu.shift() ?? { user: 0, system: 0 },
      now: () => times.shift() ?? 0,
      rss: () => 42,
    });
    expect(stats.sample()).toEqual({ cpuPercent: 50, rssBytes: 42 });
    // 2 s of CPU in 1 s of wall time: two cores busy.
    expect(stats.sample()).toEqual({ cpuPercent: 200, rssBytes: 42 });
  });

  it("reports 0% rather than dividing by zero when no time has passed", () => {
    const stats = createProcessStats({
      cpuUsage: () => ({ user: 5, system: 5 }),
      now: () => 7,
      rss: () => 1,
    });
    expect(stats.sample().cpuPercent).toBe(0);
  });

  it("reads the real process by default", () => {
    const sample = createProcessStats().sample();
    expect(sample.rssBytes).toBeGreaterThan(0);
    expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
  });
});
