import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { Summary } from "../../../src/ui/components/Summary.js";
import { summary } from "../fixtures.js";

describe("Summary", () => {
  it("says what was indexed where, how long it took and what failed by reason", () => {
    const frame = render(<Summary summary={summary()} />).lastFrame() ?? "";
    expect(frame).toContain("✔ Indexed 480 of 500 rows in 1m 02s → ./out");
    expect(frame).toContain("20 failed: http_404 12, timeout 8");
  });

  it("has no failure line when nothing failed", () => {
    const frame =
      render(<Summary summary={summary({ failed: 0, failuresByReason: {} })} />).lastFrame() ?? "";
    expect(frame).not.toContain("failed");
  });

  it("marks dry runs and interrupted runs", () => {
    const dry = render(<Summary summary={summary({ dryRun: true })} />).lastFrame() ?? "";
    expect(dry).toContain("Would index 480 of 500 rows");
    expect(dry).not.toContain("./out");
    expect(dry).toContain("Dry run: nothing was written.");
    const stopped = render(<Summary summary={summary({ interrupted: true })} />).lastFrame() ?? "";
    expect(stopped).toContain("⚠ Interrupted: embedded 480 of 500 rows");
    expect(stopped).toContain("Stopped early");
  });
});
