import { afterAll, describe, expect, it } from "vitest";
import { MemoryStream, sampleRun } from "./fixtures.js";

// chalk decides its colour level when first imported, so force colour on before loading Ink: the test
// then proves that colour disappears because of NO_COLOR, not because the test runner has no TTY.
const saved = process.env.FORCE_COLOR;
process.env.FORCE_COLOR = "1";
afterAll(() => {
  if (saved === undefined) delete process.env.FORCE_COLOR;
  else process.env.FORCE_COLOR = saved;
});

// SGR foreground colours (30–37, 39, 90–97, 38;…) and dim (2).
const COLOUR = /\u001b\[(3[0-9]|9[0-7]|2)(;[0-9;]*)?m/;

async function inkOutput(env: Record<string, string>): Promise<string> {
  const { createInkReporter } = await import("../../src/ui/ink-reporter.js");
  const stream = new MemoryStream(true);
  const reporter = createInkReporter(stream, { env, frameMs: 0 });
  for (const event of sampleRun()) reporter.emit(event);
  await reporter.close();
  return stream.text;
}

describe("NO_COLOR", () => {
  it("the Ink dashboard is coloured by default", async () => {
    expect(await inkOutput({})).toMatch(COLOUR);
  });

  it("the Ink dashboard has no colour when NO_COLOR is set", async () => {
    const text = await inkOutput({ NO_COLOR: "1" });
    expect(text).not.toMatch(COLOUR);
    expect(text).toContain("Indexed 480 of 500 rows");
  });
});
