import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { StageLine } from "../../../src/ui/components/StageLine.js";
import type { StageProgress } from "../../../src/ui/dashboard-state.js";

const base: StageProgress = {
  stage: "download",
  done: 0,
  failed: 0,
  total: null,
  rate: null,
  etaSeconds: null,
  startedAt: null,
  finishedAt: null,
  windowAt: null,
  windowCount: 0,
};

describe("StageLine", () => {
  it("shows a stage that has not started as waiting", () => {
    const frame = render(<StageLine progress={base} />).lastFrame() ?? "";
    expect(frame).toContain("download");
    expect(frame).toContain("waiting");
  });

  it("shows bar, count/total, percent, rate, ETA and failures while running", () => {
    const progress = { ...base, done: 117, failed: 3, total: 500, rate: 10, etaSeconds: 38, startedAt: 0 };
    const frame = render(<StageLine progress={progress} barWidth={10} />).lastFrame() ?? "";
    expect(frame).toContain("██░░░░░░░░");
    expect(frame).toContain("120/500");
    expect(frame).toContain("24%");
    expect(frame).toContain("10.0/s");
    expect(frame).toContain("ETA 38s");
    expect(frame).toContain("3 failed");
  });

  it("shows unknown totals and rates without guessing", () => {
    const progress = { ...base, done: 1234, startedAt: 0 };
    const frame = render(<StageLine progress={progress} />).lastFrame() ?? "";
    expect(frame).toContain("1,234/?");
    expect(frame).toContain("–/s");
    expect(frame).toContain("ETA –");
    expect(frame).not.toContain("failed");
  });

  it("shows a finished stage as done at 100%", () => {
    const progress = { ...base, done: 480, failed: 20, total: 500, rate: 50, startedAt: 0, finishedAt: 10 };
    const frame = render(<StageLine progress={progress} barWidth={4} />).lastFrame() ?? "";
    expect(frame).toContain("████");
    expect(frame).toContain("500/500");
    expect(frame).toContain("100%");
    expect(frame).toContain("done");
    expect(frame).toContain("20 failed");
  });
});
