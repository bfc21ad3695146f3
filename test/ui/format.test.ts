import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatClock,
  formatDuration,
  formatMemory,
  formatRate,
  oneLine,
  progressBar,
} from "../../src/ui/format.js";
import { formatSummary } from "../../src/ui/summary-lines.js";
import { summary } from "./fixtures.js";

describe("format", () => {
  it.each([
    [0.04, "0.0s"],
    [1.25, "1.3s"],
    [12.4, "12s"],
    [62, "1m 02s"],
    [3723, "1h 02m"],
    [Number.NaN, "–"],
  ])("formatDuration(%s) = %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it("formats clocks, rates, sizes and bars", () => {
    expect(formatClock(3723)).toBe("1:02:03");
    expect(formatClock(7.9)).toBe("0:07");
    expect(formatRate(null)).toBe("–/s");
    expect(formatRate(2.345)).toBe("2.35/s");
    expect(formatRate(123.4)).toBe("123/s");
    expect(formatBytes(512 * 1024 ** 2)).toBe("512 MiB");
    expect(formatBytes(312)).toBe("312 B");
    expect(formatBytes(41.4 * 1024)).toBe("41 KiB");
    expect(formatBytes(1.5 * 1024 ** 3)).toBe("1.5 GiB");
    expect(formatMemory(1024, Number.NaN)).toBe("1.0/n/a GiB");
    expect(progressBar(0.5, 4)).toBe("██░░");
    expect(progressBar(null, 3)).toBe("░░░");
  });

  it("oneLine removes control characters and collapses whitespace", () => {
    expect(oneLine(" a\r\n\tb \u001b[31mc\u0007 ")).toBe("a b [31mc");
  });

  it("formatSummary gives plain lines for stdout", () => {
    expect(formatSummary(summary())).toEqual([
      "Indexed 480 of 500 rows in 1m 02s → ./out",
      "20 failed: http_404 12, timeout 8",
    ]);
    expect(formatSummary(summary({ failed: 0, failuresByReason: {}, dryRun: true }))).toEqual([
      "Would index 480 of 500 rows in 1m 02s",
      "Dry run: nothing was written.",
    ]);
  });
});
