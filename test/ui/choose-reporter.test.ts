import { describe, expect, it } from "vitest";
import { chooseReporter } from "../../src/ui/choose-reporter.js";
import { colorEnabled, isCI, isInteractive } from "../../src/ui/terminal-env.js";

describe("chooseReporter", () => {
  it.each([
    [{ json: true, isTTY: true, env: {} }, "json"],
    [{ json: true, isTTY: false, env: {} }, "json"],
    [{ isTTY: true, env: {} }, "ink"],
    [{ tui: true, isTTY: true, env: {} }, "ink"],
    [{ tui: false, isTTY: true, env: {} }, "plain"],
    [{ isTTY: false, env: {} }, "plain"],
    [{ isTTY: undefined, env: {} }, "plain"],
    [{ isTTY: true, env: { CI: "true" } }, "plain"],
    [{ isTTY: true, env: { CI: "1" } }, "plain"],
    [{ isTTY: true, env: { CI: "false" } }, "ink"],
    [{ isTTY: true, env: { CI: "0" } }, "ink"],
    [{ isTTY: true, env: { TERM: "dumb" } }, "plain"],
    [{ isTTY: true, env: { NO_COLOR: "1" } }, "ink"],
  ] as const)("%o → %s", (options, kind) => {
    expect(chooseReporter(options)).toBe(kind);
  });
});

describe("terminal env", () => {
  it("detects CI", () => {
    expect(isCI({})).toBe(false);
    expect(isCI({ CI: "" })).toBe(false);
    expect(isCI({ CI: "FALSE" })).toBe(false);
    expect(isCI({ CI: "true" })).toBe(true);
    expect(isCI({ CI: "woodpecker" })).toBe(true);
  });

  it("honours NO_COLOR when present and non-empty, and TERM=dumb", () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({ NO_COLOR: "" })).toBe(true);
    expect(colorEnabled({ NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ TERM: "dumb" })).toBe(false);
  });

  it("is interactive only on a TTY outside CI", () => {
    expect(isInteractive(true, {})).toBe(true);
    expect(isInteractive(false, {})).toBe(false);
    expect(isInteractive(true, { CI: "1" })).toBe(false);
  });
});
