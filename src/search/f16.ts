/**
 * IEEE half precision by hand: Node 20 has no Float16Array. Decoding goes through a 64K-entry table
 * (256 KiB, stays in L2), which is as fast as reading float32 in the scan loop but moves half the bytes.
 */
export const HALF_TO_FLOAT: Float32Array = (() => {
  const lut = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const exp = (h >> 10) & 31;
    const mant = h & 1023;
    const mag =
      exp === 0
        ? mant * 2 ** -24
        : exp === 31
          ? mant
            ? Number.NaN
            : Number.POSITIVE_INFINITY
          : (1 + mant / 1024) * 2 ** (exp - 15);
    lut[h] = h & 0x8000 ? -mag : mag;
  }
  return lut;
})();

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float → half, round to nearest even (finite inputs; values past 65504 become ±Infinity). */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half: shift the implicit 1 in and round.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let out = mant >>> shift;
    if (rest > half || (rest === half && out & 1)) out++;
    return sign | out;
  }
  let out = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // Round to nearest even; a carry into the exponent is still the right value.
  if (rest > 0x1000 || (rest === 0x1000 && out & 1)) out++;
  return sign | out;
}
