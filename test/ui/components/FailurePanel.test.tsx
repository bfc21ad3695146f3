import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { FailurePanel } from "../../../src/ui/components/FailurePanel.js";
import type { FailureGroup } from "../../../src/ui/dashboard-state.js";

const failures: FailureGroup[] = [
  {
    reason: "http_404",
    count: 12,
    examples: [
      { stage: "download", row: 17, id: "abc", message: "HTTP 404 Not Found", at: 3 },
      { stage: "download", row: 9, id: undefined, message: "gone\n\u001b[31mred\u001b[0m", at: 2 },
    ],
  },
  { reason: "timeout", count: 8, examples: [{ stage: "download", row: 3, id: "x", message: "slow", at: 1 }] },
];

describe("FailurePanel", () => {
  it("lists counts by reason with the latest examples", () => {
    const frame = render(<FailurePanel failures={failures} total={20} />).lastFrame() ?? "";
    expect(frame).toContain("Failures 20");
    expect(frame).toMatch(/http_404\s+12\s+row 17 \(id abc\): HTTP 404 Not Found/);
    expect(frame).toContain("row 9: gone");
    expect(frame).toMatch(/timeout\s+8\s+row 3 \(id x\): slow/);
    expect(frame.indexOf("http_404")).toBeLessThan(frame.indexOf("timeout"));
  });

  it("keeps untrusted messages on one line without escape sequences", () => {
    const frame = render(<FailurePanel failures={failures} total={20} color={false} />).lastFrame() ?? "";
    expect(frame).toContain("row 9: gone [31mred [0m");
    expect(frame).not.toContain("\u001b[31m");
  });

  it("says so when nothing failed", () => {
    const frame = render(<FailurePanel failures={[]} total={0} />).lastFrame() ?? "";
    expect(frame).toContain("Failures none");
  });
});
