import sharp from "sharp";
import type { PreprocessSpec } from "../model/preprocess-spec.js";
import { ImageFailure } from "./failure.js";

export interface DecodeOptions {
  /** Largest decoded image in pixels (width × height); bigger ones are decompression bombs. Default 100 MP. */
  maxPixels?: number;
}

export const DEFAULT_MAX_PIXELS = 100_000_000;

/** Number of floats one image occupies in a tensor for this spec. */
export function tensorSize(spec: PreprocessSpec): number {
  return spec.height * spec.width * 3;
}

/**
 * Decodes image bytes into normalized model input: EXIF auto-orient, alpha flattened onto white, sRGB,
 * resized per spec, then (pixel - mean) / std in the spec's channel order and layout.
 *
 * Writes into `out` at `offset` when given (so a batch buffer is filled in place) and returns `out`;
 * otherwise returns a new Float32Array. Throws ImageFailure decode_failed / too_many_pixels.
 * sharp runs the work on the libuv threadpool, so several decodes can run in parallel with the
 * event loop free; see configureDecoding for the thread settings.
 */
export async function decodeImage(
  buf: Buffer,
  spec: PreprocessSpec,
  out?: Float32Array,
  offset = 0,
  options: DecodeOptions = {},
): Promise<Float32Array> {
  const size = tensorSize(spec);
  const target = out ?? new Float32Array(size);
  if (offset < 0 || offset + size > target.length) {
    throw new RangeError(`output buffer of ${target.length} floats cannot hold ${size} at offset ${offset}`);
  }
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  let pixels: Buffer;
  try {
    const { data, info } = await sharp(buf, { limitInputPixels: maxPixels, failOn: "error" })
      .rotate()
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .resize(spec.width, spec.height, {
        fit: spec.resize === "squash" ? "fill" : "cover",
        position: "centre",
      })
      .removeAlpha()
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || info.width !== spec.width || info.height !== spec.height) {
      throw new Error(`unexpected decoded shape ${info.width}x${info.height}x${info.channels}`);
    }
    pixels = data;
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/pixel limit/i.test(message)) {
      throw new ImageFailure("too_many_pixels", `image is larger than ${maxPixels} pixels`, { cause: error });
    }
    throw new ImageFailure("decode_failed", `cannot decode image: ${message}`, { cause: error });
  }
  writeNormalized(pixels, spec, target, offset);
  return target;
}

/** RGB bytes (HWC) → normalized floats in channel order and layout. */
function writeNormalized(pixels: Buffer, spec: PreprocessSpec, out: Float32Array, offset: number): void {
  const count = spec.height * spec.width;
  // Source channel feeding output channel c: BGR reads R from index 2.
  const source = spec.channelOrder === "rgb" ? [0, 1, 2] : [2, 1, 0];
  for (let c = 0; c < 3; c += 1) {
    const from = source[c]!;
    const mean = spec.mean[c]!;
    const scale = 1 / spec.std[c]!;
    const base = spec.layout === "nchw" ? offset + c * count : offset + c;
    const stride = spec.layout === "nchw" ? 1 : 3;
    for (let p = 0; p < count; p += 1) {
      out[base + p * stride] = (pixels[p * 3 + from]! - mean) * scale;
    }
  }
}

export interface DecodingSettings {
  /** libvips threads per image; 1 is best when many images decode in parallel. */
  threadsPerImage?: number;
  /** sharp's operation cache; off by default because every image is decoded once. */
  cache?: boolean;
}

/**
 * Process-wide sharp settings, for the composition root to call once (never at import time).
 * Parallelism across images comes from the libuv threadpool (UV_THREADPOOL_SIZE, default 4).
 */
export function configureDecoding(settings: DecodingSettings = {}): void {
  sharp.concurrency(settings.threadsPerImage ?? 1);
  sharp.cache(settings.cache ?? false);
}
