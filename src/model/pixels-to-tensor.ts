import type { PreprocessSpec } from "./preprocess-spec.js";

/**
 * Writes one decoded image (interleaved RGB bytes, spec.height × spec.width, already resized) into slot
 * `index` of a batch tensor, applying channel order, mean/std and layout from the spec.
 */
export function writePixels(rgb: Uint8Array, spec: PreprocessSpec, out: Float32Array, index: number): void {
  const hw = spec.height * spec.width;
  const base = index * hw * 3;
  const order = spec.channelOrder === "bgr" ? [2, 1, 0] : [0, 1, 2];
  const inv = spec.std.map((s) => 1 / s);
  for (let p = 0; p < hw; p++) {
    for (let c = 0; c < 3; c++) {
      const v = (rgb[p * 3 + order[c]!]! - spec.mean[c]!) * inv[c]!;
      out[spec.layout === "nhwc" ? base + p * 3 + c : base + c * hw + p] = v;
    }
  }
}
