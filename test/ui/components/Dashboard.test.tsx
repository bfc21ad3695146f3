import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import type { FeaturizeEvent } from "../../../src/contracts/events.js";
import { Dashboard } from "../../../src/ui/components/Dashboard.js";
import { initialDashboardState, reduceDashboard } from "../../../src/ui/dashboard-state.js";
import { sampleRun } from "../fixtures.js";

const stateAfter = (events: FeaturizeEvent[]) => events.reduce(reduceDashboard, initialDashboardState());

describe("Dashboard", () => {
  it("before any event shows every stage waiting", () => {
    const frame = render(<Dashboard state={initialDashboardState()} />).lastFrame() ?? "";
    expect(frame).toContain("mosaic featurize");
    expect(frame).toContain("idle");
    for (const stage of ["catalog", "download", "decode", "embed", "index"]) expect(frame).toContain(stage);
    expect(frame).toContain("waiting for the first sample");
  });

  it("mid-run shows header, engine, stages, failures and GPU", () => {
    const events = sampleRun().slice(0, 6);
    const frame = render(<Dashboard state={stateAfter(events)} />).lastFrame() ?? "";
    expect(frame).toMatch(/catalog\.csv · 500 rows · running · 0:03/);
    expect(frame).toContain("resnet50 · CUDA · batch 32 · 4 threads");
    expect(frame).toContain("50/500");
    expect(frame).toContain("20.0/s");
    expect(frame).toContain("Failures 2");
    expect(frame).toContain("row 17 (id abc): HTTP 404 Not Found");
    expect(frame).toContain("GPU0");
    expect(frame).not.toContain("Indexed");
  });

  it("without a GPU shows the note and process stats", () => {
    const events: FeaturizeEvent[] = [
      ...sampleRun().slice(0, 2),
      {
        type: "gpu",
        at: 2000,
        gpus: [],
        process: { cpuPercent: 99, rssBytes: 300 * 1024 ** 2 },
        note: "no NVIDIA GPU found (nvidia-smi not on PATH)",
      },
    ];
    const frame = render(<Dashboard state={stateAfter(events)} />).lastFrame() ?? "";
    expect(frame).toContain("no NVIDIA GPU found (nvidia-smi not on PATH)");
    expect(frame).toContain("RSS 300 MiB");
    expect(frame).not.toContain("Failures");
  });

  it("while stopping says so", () => {
    const events: FeaturizeEvent[] = [
      ...sampleRun().slice(0, 2),
      { type: "stopping", at: 2000, reason: "SIGINT" },
    ];
    const frame = render(<Dashboard state={stateAfter(events)} />).lastFrame() ?? "";
    expect(frame).toContain("stopping");
    expect(frame).toContain("Stopping (SIGINT): finishing work in flight");
  });

  it("when done shows the summary under the final numbers", () => {
    const frame = render(<Dashboard state={stateAfter(sampleRun())} />).lastFrame() ?? "";
    expect(frame).toContain("done · 0:11");
    expect(frame).toMatch(/download\s+█+\s+500\/500\s+100%/);
    expect(frame).toContain("Indexed 480 of 500 rows in 1m 02s → ./out");
  });
});
