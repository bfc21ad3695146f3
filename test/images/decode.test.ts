import { crc32 } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage, tensorSize } from "../../src/images/decode.js";
import { ImageFailure } from "../../src/images/failure.js";
import type { PreprocessSpec } from "../../src/contracts/preprocess-spec.js";

const RED = { r: 255, g: 0, b: 0 };
const GREEN = { r: 0, g: 255, b: 0 };
const BLUE = { r: 0, g: 0, b: 255 };
type Rgb = typeof RED;

const identity: PreprocessSpec = {
  height: 4,
  width: 4,
  resize: "squash",
  channelOrder: "rgb",
  mean: [0, 0, 0],
  std: [1, 1, 1],
  layout: "nhwc",
};

const solid = (
  width: number,
  height: number,
  background: Rgb | (Rgb & { alpha: number }),
  channels: 3 | 4 = 3,
) => sharp({ create: { width, height, channels, background } });

/** Vertical stripes of equal width, left to right, as a lossless PNG. */
async function stripes(colors: Rgb[], stripeWidth: number, height: number): Promise<Buffer> {
  const composite = await Promise.all(
    colors.map(async (color, i) => ({
      input: await solid(stripeWidth, height, color).png().toBuffer(),
      left: i * stripeWidth,
      top: 0,
    })),
  );
  return solid(stripeWidth * colors.length, height, RED)
    .composite(composite)
    .png()
    .toBuffer();
}

/** Pixel (x, y) of an NHWC RGB tensor, rounded. */
const pixel = (out: Float32Array, spec: PreprocessSpec, x: number, y: number): number[] =>
  [0, 1, 2].map((c) => Math.round(out[(y * spec.width + x) * 3 + c]!));

/** Resampling and colour conversion move values a little; compare within a tolerance. */
const near = (got: number[], want: number[], tolerance: number): boolean =>
  got.length === want.length && got.every((v, i) => Math.abs(v - want[i]!) <= tolerance);

async function failure(work: Promise<unknown>): Promise<ImageFailure> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageFailure);
  return error as ImageFailure;
}

describe("decodeImage", () => {
  it("produces height × width × 3 floats of the exact pixel values with an identity spec", async () => {
    const png = await solid(10, 8, { r: 200, g: 40, b: 90 }).png().toBuffer();
    const spec = { ...identity, height: 6, width: 5 };
    const out = await decodeImage(png, spec);
    expect(out).toHaveLength(tensorSize(spec));
    expect(out.length).toBe(90);
    for (let p = 0; p < 30; p += 1) expect([...out.subarray(p * 3, p * 3 + 3)]).toEqual([200, 40, 90]);
  });

  it("applies channel order, mean and std (caffe-style BGR)", async () => {
    const png = await solid(8, 8, { r: 200, g: 40, b: 90 }).png().toBuffer();
    const spec: PreprocessSpec = {
      ...identity,
      channelOrder: "bgr",
      mean: [103.939, 116.779, 123.68],
      std: [2, 4, 8],
    };
    const out = await decodeImage(png, spec);
    const expected = [(90 - 103.939) / 2, (40 - 116.779) / 4, (200 - 123.68) / 8];
    for (let c = 0; c < 3; c += 1) expect(out[c]).toBeCloseTo(expected[c]!, 4);
  });

  it("writes NCHW planes into a batch buffer at an offset, leaving the rest alone", async () => {
    const png = await solid(8, 8, { r: 10, g: 20, b: 30 }).png().toBuffer();
    const spec: PreprocessSpec = { ...identity, layout: "nchw" };
    const size = tensorSize(spec);
    const batch = new Float32Array(size * 2).fill(-1);
    const returned = await decodeImage(png, spec, batch, size);
    expect(returned).toBe(batch);
    expect([...batch.subarray(0, size)].every((v) => v === -1)).toBe(true);
    const planes = [0, 1, 2].map((c) => [...batch.subarray(size + c * 16, size + (c + 1) * 16)]);
    expect(planes).toEqual([Array(16).fill(10), Array(16).fill(20), Array(16).fill(30)]);
    await expect(decodeImage(png, spec, batch, size + 1)).rejects.toThrow(RangeError);
  });

  it("squash keeps the whole picture; crop keeps the centre", async () => {
    const png = await stripes([RED, GREEN, BLUE], 10, 10);
    const spec: PreprocessSpec = { ...identity, width: 3, height: 3 };
    const squashed = await decodeImage(png, spec);
    expect(near(pixel(squashed, spec, 0, 1), [255, 0, 0], 40)).toBe(true);
    expect(near(pixel(squashed, spec, 1, 1), [0, 255, 0], 40)).toBe(true);
    expect(near(pixel(squashed, spec, 2, 1), [0, 0, 255], 40)).toBe(true);
    const cropped = await decodeImage(png, { ...spec, resize: "crop" });
    for (const x of [0, 1, 2]) expect(near(pixel(cropped, spec, x, 1), [0, 255, 0], 40)).toBe(true);
  });

  it("auto-orients by EXIF", async () => {
    // Stored red | blue side by side; orientation 6 means "rotate 90° clockwise to display" → red on top.
    const stored = await stripes([RED, BLUE], 10, 10);
    const jpeg = await sharp(stored).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const spec: PreprocessSpec = { ...identity, width: 2, height: 2 };
    const out = await decodeImage(jpeg, spec);
    expect(near(pixel(out, spec, 0, 0), [255, 0, 0], 40)).toBe(true);
    expect(near(pixel(out, spec, 1, 0), [255, 0, 0], 40)).toBe(true);
    expect(near(pixel(out, spec, 0, 1), [0, 0, 255], 40)).toBe(true);
  });

  it("flattens transparency onto white", async () => {
    const png = await solid(6, 6, { r: 0, g: 0, b: 0, alpha: 0 }, 4).png().toBuffer();
    const out = await decodeImage(png, identity);
    expect([...out].every((v) => v === 255)).toBe(true);
  });

  it("handles grayscale, 16-bit, palette and CMYK input", async () => {
    const gray = await solid(6, 6, { r: 100, g: 100, b: 100 }).toColourspace("b-w").png().toBuffer();
    expect((await sharp(gray).metadata()).channels).toBe(1);
    expect([...(await decodeImage(gray, identity))].every((v) => v === 100)).toBe(true);

    const deep = await solid(6, 6, { r: 10, g: 20, b: 30 }).toColourspace("rgb16").png().toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe("ushort");
    expect(near(pixel(await decodeImage(deep, identity), identity, 0, 0), [10, 20, 30], 1)).toBe(true);

    const palette = await solid(6, 6, { r: 200, g: 20, b: 30 }).png({ palette: true }).toBuffer();
    expect(pixel(await decodeImage(palette, identity), identity, 0, 0)).toEqual([200, 20, 30]);

    const cmyk = await solid(6, 6, { r: 200, g: 20, b: 30 }).toColourspace("cmyk").jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe("cmyk");
    const [r = 0, g = 0, b = 0] = pixel(await decodeImage(cmyk, identity), identity, 0, 0);
    expect(r).toBeGreaterThan(150);
    expect(Math.max(g, b)).toBeLessThan(80);
  });

  it("rejects decompression bombs before decoding", async () => {
    const small = await solid(2000, 1000, RED).png().toBuffer();
    expect((await failure(decodeImage(small, identity, undefined, 0, { maxPixels: 1_000_000 }))).reason).toBe(
      "too_many_pixels",
    );
    // A tiny PNG whose header claims 30000 × 30000 (900 MP) against the default 100 MP limit.
    expect((await failure(decodeImage(pngClaiming(30_000, 30_000, small), identity))).reason).toBe(
      "too_many_pixels",
    );
  });

  it("reports corrupt bytes as decode_failed", async () => {
    expect((await failure(decodeImage(Buffer.from("definitely not an image"), identity))).reason).toBe(
      "decode_failed",
    );
    const jpeg = await solid(64, 64, RED).jpeg().toBuffer();
    expect((await failure(decodeImage(jpeg.subarray(0, 40), identity))).reason).toBe("decode_failed");
  });
});

/** Rewrites a PNG's IHDR width/height (and its CRC) to fake a huge image. */
function pngClaiming(width: number, height: number, png: Buffer): Buffer {
  const out = Buffer.from(png);
  // Signature (8) + length (4) + "IHDR" (4), then width and height.
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}
