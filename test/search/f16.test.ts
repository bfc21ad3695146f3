import { describe, expect, it } from "vitest";
import { floatToHalf, HALF_TO_FLOAT } from "../../src/search/f16.js";

describe("floatToHalf", () => {
  it("round-trips every finite half exactly", () => {
    const wrong: number[] = [];
    for (let h = 0; h < 65536; h++) {
      const x = HALF_TO_FLOAT[h]!;
      if (!Number.isFinite(x)) continue;
      // ±0 encode to the same half bits' value; compare bits only for non-zero values.
      const back = floatToHalf(x);
      if (x === 0 ? HALF_TO_FLOAT[back] !== 0 : back !== h) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });

  it("rounds to the nearest half, ties to even, and saturates to infinity", () => {
    expect(HALF_TO_FLOAT[floatToHalf(1 + 2 ** -11)]).toBe(1); // tie → even mantissa
    expect(HALF_TO_FLOAT[floatToHalf(1 + 3 * 2 ** -11)]).toBe(1 + 2 ** -9);
    expect(HALF_TO_FLOAT[floatToHalf(0.1)]).toBeCloseTo(0.1, 4);
    expect(HALF_TO_FLOAT[floatToHalf(1e6)]).toBe(Number.POSITIVE_INFINITY);
    expect(HALF_TO_FLOAT[floatToHalf(-3e-6)]).toBeCloseTo(-3e-6, 7);
  });
});
