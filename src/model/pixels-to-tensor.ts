import type { PreprocessSpec } from "./preprocess-spec.js";

/**
 * Writes one decoded image (interleaved RGB bytes, spec.height × spec.width, already resized) into slot
 * `index` of a batch tensor, applying channel order, mean/std and layout from the spec.
 */
export function writePixels(rgb: Uint8Array, spec: PreprocessSpec, out: Float32Array, index: number): void {
  resampleToTensor(rgb, spec.width, spec.height, 3, spec, out, index * spec.height * spec.width * 3);
}

/**
 * Resizes interleaved 8-bit pixels (`channels` ≥ 3, extra channels ignored) to the spec's input size with
 * bilinear sampling — squash, or centre crop of the shorter side — and writes normalized floats in the
 * spec's channel order and layout at `offset`. One fused pass: this replaced a libvips resize plus a
 * separate normalization loop, which cost more CPU than decoding the JPEG itself (bench/featurize).
 * Meant for downscales under 2×; larger images are pre-shrunk by the decoder.
 */
export function resampleToTensor(
  src: Uint8Array,
  srcWidth: number,
  srcHeight: number,
  channels: number,
  spec: PreprocessSpec,
  out: Float32Array,
  offset: number,
): void {
  const { width: W, height: H } = spec;
  let scaleX = srcWidth / W;
  let scaleY = srcHeight / H;
  let startX = 0;
  let startY = 0;
  if (spec.resize === "crop") {
    // Shorter side to size, then the centred window: one scale for both axes.
    const s = Math.min(scaleX, scaleY);
    startX = (srcWidth - W * s) / 2;
    startY = (srcHeight - H * s) / 2;
    scaleX = s;
    scaleY = s;
  }
  const x0 = new Int32Array(W);
  const x1 = new Int32Array(W);
  const wx = new Float32Array(W);
  for (let x = 0; x < W; x++) {
    const fx = Math.min(Math.max(startX + (x + 0.5) * scaleX - 0.5, 0), srcWidth - 1);
    const i = Math.floor(fx);
    x0[x] = i * channels;
    x1[x] = Math.min(i + 1, srcWidth - 1) * channels;
    wx[x] = fx - i;
  }
  const order = spec.channelOrder === "bgr" ? [2, 1, 0] : [0, 1, 2];
  const nchw = spec.layout === "nchw";
  const plane = H * W;
  for (let c = 0; c < 3; c++) {
    const from = order[c] as number;
    const mean = spec.mean[c] as number;
    const inv = 1 / (spec.std[c] as number);
    const base = nchw ? offset + c * plane : offset + c;
    const stride = nchw ? 1 : 3;
    for (let y = 0; y < H; y++) {
      const fy = Math.min(Math.max(startY + (y + 0.5) * scaleY - 0.5, 0), srcHeight - 1);
      const j = Math.floor(fy);
      const wy = fy - j;
      const row0 = j * srcWidth * channels + from;
      const row1 = Math.min(j + 1, srcHeight - 1) * srcWidth * channels + from;
      let o = base + y * W * stride;
      for (let x = 0; x < W; x++, o += stride) {
        const a = x0[x] as number;
        const b = x1[x] as number;
        const w = wx[x] as number;
        const top = (src[row0 + a] as number) + ((src[row0 + b] as number) - (src[row0 + a] as number)) * w;
        const bottom =
          (src[row1 + a] as number) + ((src[row1 + b] as number) - (src[row1 + a] as number)) * w;
        out[o] = (top + (bottom - top) * wy - mean) * inv;
      }
    }
  }
}
