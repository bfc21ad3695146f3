import { describe, expect, it } from "vitest";
import { runStep } from "../../src/ui/run-step.js";
import { MemoryStream, stripAnsi } from "./fixtures.js";

const ticking = (step: number) => {
  let t = 0;
  return () => (t += step);
};

describe("runStep", () => {
  it("shows a spinner on an interactive stream and persists the outcome with the duration", async () => {
    const stream = new MemoryStream(true);
    const result = await runStep(stream, "Converting model", async () => "ok", {
      interactive: true,
      color: false,
      now: ticking(1500),
    });
    expect(result).toBe("ok");
    const text = stripAnsi(stream.text);
    expect(text).toContain("Converting model");
    expect(text).toContain("✔ Converting model (1.5s)\n");
  });

  it("persists a failure mark and rethrows", async () => {
    const stream = new MemoryStream(true);
    const boom = new Error("boom");
    await expect(
      runStep(stream, "Loading index", () => Promise.reject(boom), {
        interactive: true,
        color: false,
        now: ticking(100),
      }),
    ).rejects.toBe(boom);
    expect(stripAnsi(stream.text)).toContain("✖ Loading index failed (0.1s)\n");
  });

  it("writes no escape codes when colour is off and not interactive", async () => {
    const stream = new MemoryStream(false);
    await runStep(stream, "Loading", async () => 1, { interactive: false, color: false, now: ticking(10) });
    expect(stream.text).toBe("Loading… done (0.0s)\n");
  });
});

describe("runStep on a terminal that reports no width", () => {
  it("falls back to the plain line instead of animating", async () => {
    const stream = new MemoryStream(true);
    stream.columns = 0;
    await runStep(stream, "Loading", async () => 1, { interactive: true, color: true, now: ticking(200) });
    expect(stream.text).toBe("Loading… done (0.2s)\n");
  });
});
