import type { PixelBatch, PreprocessSpec } from "../contracts/preprocess-spec.js";

/**
 * Writes one decoded image (interleaved RGB bytes, spec.height × spec.width, already resized) into slot
 * `index` of a batch tensor, applying channel order, mean/std and layout from the spec.
 */
export function writePixels(rgb: Uint8Array, spec: PreprocessSpec, out: PixelBatch, index: number): void {
  resampleToTensor(rgb, spec.width, spec.height, 3, spec, out, index * spec.height * spec.width * 3);
}

/**
 * Resizes interleaved 8-bit pixels (`channels` ≥ 3, extra channels ignored) to the spec's input size with
 * bilinear sampling — squash, or centre crop of the shorter side — and writes normalized floats in the
 * spec's channel order and layout at `offset`. Into a Uint8Array it writes the resampled pixels instead,
 * rounded, NHWC, in the spec's channel order, not normalized: the uint8 input of a model that normalizes
 * inside its graph (uint8-input.ts). One fused pass: this replaced a libvips resize plus a
 * separate normalization loop, which cost more CPU than decoding the JPEG itself (bench/featurize).
 * Meant for downscales under 2×; larger images are pre-shrunk by the decoder.
 */
export function resampleToTensor(
  src: Uint8Array,
  srcWidth: number,
  srcHeight: number,
  channels: number,
  spec: PreprocessSpec,
  out: PixelBatch,
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
  const [c0, c1, c2] = spec.channelOrder === "bgr" ? [2, 1, 0] : [0, 1, 2];
  const [m0, m1, m2] = spec.mean;
  const i0 = 1 / spec.std[0];
  const i1 = 1 / spec.std[1];
  const i2 = 1 / spec.std[2];
  const bytes = out instanceof Uint8Array;
  const nchw = !bytes && spec.layout === "nchw";
  const plane = H * W;
  const rowStride = srcWidth * channels;
  // One pass over output pixels, all three channels at once: the four source taps are found once per
  // pixel, and the output is written in order (this loop is on the featurize hot path).
  for (let y = 0; y < H; y++) {
    const fy = Math.min(Math.max(startY + (y + 0.5) * scaleY - 0.5, 0), srcHeight - 1);
    const j = Math.floor(fy);
    const wy = fy - j;
    const row0 = j * rowStride;
    const row1 = Math.min(j + 1, srcHeight - 1) * rowStride;
    let o = nchw ? offset + y * W : offset + y * W * 3;
    for (let x = 0; x < W; x++) {
      const w = wx[x] as number;
      const p00 = row0 + (x0[x] as number);
      const p01 = row0 + (x1[x] as number);
      const p10 = row1 + (x0[x] as number);
      const p11 = row1 + (x1[x] as number);
      const w00 = (1 - w) * (1 - wy);
      const w01 = w * (1 - wy);
      const w10 = (1 - w) * wy;
      const w11 = w * wy;
      const v0 =
        (src[p00 + c0] as number) * w00 +
        (src[p01 + c0] as number) * w01 +
        (src[p10 + c0] as number) * w10 +
        (src[p11 + c0] as number) * w11;
      const v1 =
        (src[p00 + c1] as number) * w00 +
        (src[p01 + c1] as number) * w01 +
        (src[p10 + c1] as number) * w10 +
        (src[p11 + c1] as number) * w11;
      const v2 =
        (src[p00 + c2] as number) * w00 +
        (src[p01 + c2] as number) * w01 +
        (src[p10 + c2] as number) * w10 +
        (src[p11 + c2] as number) * w11;
      if (bytes) {
        // Truncation of v + 0.5 rounds: v is within 0..255.
        out[o] = v0 + 0.5;
        out[o + 1] = v1 + 0.5;
        out[o + 2] = v2 + 0.5;
        o += 3;
      } else if (nchw) {
        out[o] = (v0 - m0) * i0;
        out[o + plane] = (v1 - m1) * i1;
        out[o + 2 * plane] = (v2 - m2) * i2;
        o += 1;
      } else {
        out[o] = (v0 - m0) * i0;
        out[o + 1] = (v1 - m1) * i1;
        out[o + 2] = (v2 - m2) * i2;
        o += 3;
      }
    }
  }
}
