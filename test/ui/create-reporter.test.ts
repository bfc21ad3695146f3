import { describe, expect, it } from "vitest";
import { createReporter } from "../../src/ui/create-reporter.js";
import { MemoryStream, sampleRun } from "./fixtures.js";

describe("createReporter", () => {
  it("builds JSON for --json, Ink for a person at a TTY, plain otherwise", async () => {
    const cases = [
      [{ json: true, stream: new MemoryStream(true), env: {} }, "json"],
      [{ stream: new MemoryStream(true), env: {} }, "ink"],
      [{ tui: false, stream: new MemoryStream(true), env: {} }, "plain"],
      [{ stream: new MemoryStream(false), env: {} }, "plain"],
      [{ stream: new MemoryStream(true), env: { CI: "true" } }, "plain"],
    ] as const;
    for (const [options, kind] of cases) {
      const reporter = createReporter(options);
      expect(reporter.kind).toBe(kind);
      await reporter.close();
    }
  });

  it("the plain reporter writes the run to the stream it was given", async () => {
    const stream = new MemoryStream(false);
    const reporter = createReporter({ stream, env: {} });
    for (const event of sampleRun()) reporter.emit(event);
    await reporter.close();
    expect(stream.text).toContain("Indexed 480 of 500 rows");
  });
});
