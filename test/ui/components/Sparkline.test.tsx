import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { Sparkline } from "../../../src/ui/components/Sparkline.js";
import { sparklineText } from "../../../src/ui/sparkline-text.js";

describe("Sparkline", () => {
  it("draws one block per value, scaled to max", () => {
    const { lastFrame } = render(<Sparkline values={[0, 50, 100]} />);
    expect(lastFrame()).toBe("▁▅█");
  });

  it("clamps out-of-range values and leaves a gap for unknown ones", () => {
    expect(sparklineText([-5, Number.NaN, 250], { max: 100 })).toBe("▁ █");
  });

  it("scales to a custom max and averages long series down to the width", () => {
    expect(sparklineText([0, 200, 400], { max: 400 })).toBe("▁▅█");
    const minute = Array.from({ length: 60 }, (_, i) => (i < 30 ? 0 : 100));
    expect(sparklineText(minute, { width: 4 })).toBe("▁▁██");
  });

  it("renders nothing for no data", () => {
    const { lastFrame } = render(<Sparkline values={[]} />);
    expect(lastFrame()).toBe("");
  });
});
