import { writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageFailure } from "../../src/images/failure.js";
import { createImageFetcher } from "../../src/images/image-fetcher.js";
import { DECODABLE_TYPES, type ImageType, sniffImage } from "../../src/images/sniff-image.js";
import { makeTempDir } from "../helpers/temp-dir.js";

// Defect J11 (second part): BMP and HEIC were sniffed as accepted images, then failed in sharp with a
// decode error. The accepted set must be exactly what sharp decodes; the others get their own reason.

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await makeTempDir("mosaic-formats-")));
afterAll(() => cleanup());

/** A 2×2 24-bit BMP, written by hand (sharp cannot write one either). */
function bmp(): Buffer {
  const row = Buffer.from([0, 0, 255, 0, 255, 0, 0, 0]); // 2 BGR pixels + 2 bytes of padding
  const pixels = Buffer.concat([row, row]);
  const header = Buffer.alloc(54);
  header.write("BM", 0, "latin1");
  header.writeUInt32LE(54 + pixels.length, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(2, 18);
  header.writeInt32LE(2, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  header.writeUInt32LE(pixels.length, 34);
  return Buffer.concat([header, pixels]);
}

/** The start of an HEIC photo (ftyp heic); what follows does not matter to the sniffer or to sharp. */
function heic(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write("ftypheic", 4, "latin1");
  ftyp.write("mif1heic", 16, "latin1");
  return Buffer.concat([ftyp, Buffer.alloc(64)]);
}

const sample = (format: "jpeg" | "png" | "gif" | "webp" | "tiff" | "avif") =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 9, g: 99, b: 199 } } })
    .toFormat(format)
    .toBuffer();

async function decodes(buf: Buffer): Promise<boolean> {
  return sharp(buf)
    .raw()
    .toBuffer()
    .then(
      () => true,
      () => false,
    );
}

describe("accepted image formats are the ones sharp decodes", () => {
  it("every sniffed type is accepted exactly when sharp decodes it", async () => {
    const buffers: Buffer[] = [
      ...(await Promise.all((["jpeg", "png", "gif", "webp", "tiff", "avif"] as const).map(sample))),
      bmp(),
      heic(),
    ];
    const seen = new Set<ImageType>();
    for (const buf of buffers) {
      const type = sniffImage(buf);
      expect(type).not.toBeNull();
      seen.add(type!);
      expect(DECODABLE_TYPES.has(type!), `${type}`).toBe(await decodes(buf));
    }
    expect([...seen].sort()).toEqual(["avif", "bmp", "gif", "heif", "jpeg", "png", "tiff", "webp"]);
  });

  it("featurize's fetcher reports BMP and HEIC as unsupported_format, naming what it reads", async () => {
    const fetcher = createImageFetcher({ attempts: 1 });
    for (const [name, bytes, label] of [
      ["a.bmp", bmp(), "BMP"],
      ["b.heic", heic(), "HEIC/HEIF"],
    ] as const) {
      const file = path.join(dir, name);
      await writeFile(file, bytes);
      const error = await fetcher.fetch(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImageFailure);
      expect((error as ImageFailure).reason).toBe("unsupported_format");
      expect((error as ImageFailure).message).toContain(`a ${label} image`);
      expect((error as ImageFailure).message).toContain("JPEG, PNG, GIF, WebP, TIFF or AVIF");
    }
    const png = path.join(dir, "c.png");
    await writeFile(png, await sample("png"));
    expect((await fetcher.fetch(png)).length).toBeGreaterThan(0);
    fetcher.close();
  });
});
