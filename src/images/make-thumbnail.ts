import sharp from "sharp";
import { DEFAULT_MAX_PIXELS } from "./decode.js";
import { ImageFailure } from "./failure.js";

export interface ThumbnailOptions {
  /** Longest side of the thumbnail in pixels; smaller images are not enlarged. */
  size: number;
  /** Refuse decoded images over this many pixels (decompression bombs). */
  maxPixels?: number;
  quality?: number;
}

/**
 * A JPEG no larger than size × size: EXIF auto-oriented, alpha flattened onto white, sRGB, progressive.
 * Throws ImageFailure decode_failed / too_many_pixels.
 */
export async function makeThumbnail(buf: Buffer, options: ThumbnailOptions): Promise<Buffer> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  try {
    return await sharp(buf, { limitInputPixels: maxPixels, failOn: "error" })
      .rotate()
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .resize(options.size, options.size, { fit: "inside", withoutEnlargement: true })
      .jpeg({ quality: options.quality ?? 80, progressive: true, mozjpeg: true })
      .toBuffer();
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/pixel limit/i.test(message)) {
      throw new ImageFailure("too_many_pixels", `image is larger than ${maxPixels} pixels`, { cause: error });
    }
    throw new ImageFailure("decode_failed", `cannot make a thumbnail: ${message}`, { cause: error });
  }
}
