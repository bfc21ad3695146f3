import sharp from "sharp";
import type { PixelBatch, PixelFormat, PreprocessSpec } from "../contracts/preprocess-spec.js";
import { resampleToTensor } from "../model/pixels-to-tensor.js";
import { ImageFailure } from "./failure.js";

export interface DecodeOptions {
  /** Largest decoded image in pixels (width × height); bigger ones are decompression bombs. Default 100 MP. */
  maxPixels?: number;
  /** uint8: resampled pixels, not normalized (for a model that normalizes in its graph). Default float32. */
  pixels?: PixelFormat;
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
  return decodeInto(buf, spec, out ?? new Float32Array(tensorSize(spec)), offset, options);
}

/** decodeImage into a new buffer of the form `options.pixels` names (float32 unless told uint8). */
export function decodePixels(
  buf: Buffer,
  spec: PreprocessSpec,
  options: DecodeOptions = {},
): Promise<PixelBatch> {
  const size = tensorSize(spec);
  return decodeInto(
    buf,
    spec,
    options.pixels === "uint8" ? new Uint8Array(size) : new Float32Array(size),
    0,
    options,
  );
}

async function decodeInto<T extends PixelBatch>(
  buf: Buffer,
  spec: PreprocessSpec,
  target: T,
  offset: number,
  options: DecodeOptions,
): Promise<T> {
  const size = tensorSize(spec);
  if (offset < 0 || offset + size > target.length) {
    throw new RangeError(`output buffer of ${target.length} floats cannot hold ${size} at offset ${offset}`);
  }
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  try {
    const image = sharp(buf, { limitInputPixels: maxPixels, failOn: "error" });
    const meta = await image.metadata();
    // EXIF orientations 5–8 swap width and height.
    const swap = (meta.orientation ?? 1) >= 5;
    const width = (swap ? meta.height : meta.width) ?? 0;
    const height = (swap ? meta.width : meta.height) ?? 0;
    let pipeline = image.rotate();
    // Each libvips stage costs CPU on every image; plain sRGB JPEGs (most museum thumbnails) need neither.
    if (meta.hasAlpha) pipeline = pipeline.flatten({ background: "#ffffff" });
    if (meta.space !== "srgb" || (meta.channels ?? 3) < 3) pipeline = pipeline.toColourspace("srgb");
    // Big images: let libvips shrink them (JPEG shrink-on-load makes that nearly free) to under 2× the
    // input size; the last, small step is a fused bilinear resample + normalize in JS.
    const shrink = Math.min(width / (2 * spec.width), height / (2 * spec.height));
    if (shrink > 1) {
      pipeline = pipeline.resize(Math.ceil(width / shrink), Math.ceil(height / shrink), { fit: "fill" });
    }
    const { data, info } = await pipeline
      .removeAlpha()
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    if (info.channels < 3 || info.width < 1 || info.height < 1) {
      throw new Error(`unexpected decoded shape ${info.width}x${info.height}x${info.channels}`);
    }
    resampleToTensor(data, info.width, info.height, info.channels, spec, target, offset);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/pixel limit/i.test(message)) {
      throw new ImageFailure("too_many_pixels", `image is larger than ${maxPixels} pixels`, { cause: error });
    }
    throw new ImageFailure("decode_failed", `cannot decode image: ${message}`, { cause: error });
  }
  return target;
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
