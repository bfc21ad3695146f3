import type { PixelBatch, PixelFormat, PreprocessSpec } from "../contracts/preprocess-spec.js";

/**
 * Converts a batch between the two forms a model can take (PixelBatch), for callers that decoded to the
 * other one: a query's one image, a warm-up. Featurize decodes straight into the form the embedder takes.
 * Bytes → floats is exact (what the float decoder writes, less its sub-integer interpolation); floats →
 * bytes undoes the normalizing and rounds, as the uint8 decoder does.
 */
export function toPixelFormat(
  batch: PixelBatch,
  format: PixelFormat,
  spec: PreprocessSpec,
  n: number,
): PixelBatch {
  if (format === "uint8" ? batch instanceof Uint8Array : batch instanceof Float32Array) return batch;
  const plane = spec.height * spec.width;
  const nchw = spec.layout === "nchw";
  const out = format === "uint8" ? new Uint8Array(n * plane * 3) : new Float32Array(n * plane * 3);
  for (let img = 0; img < n; img++) {
    const base = img * plane * 3;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) {
        const byteAt = base + p * 3 + c;
        const floatAt = nchw ? base + c * plane + p : byteAt;
        const mean = spec.mean[c] as number;
        const std = spec.std[c] as number;
        if (format === "uint8") {
          const v = (batch[floatAt] as number) * std + mean;
          out[byteAt] = Math.min(255, Math.max(0, Math.round(v)));
        } else out[floatAt] = ((batch[byteAt] as number) - mean) / std;
      }
    }
  }
  return out;
}
