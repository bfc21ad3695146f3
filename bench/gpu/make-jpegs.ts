/**
 * Writes N synthetic JPEG "artworks" (smooth colour fields plus noise, 480×360 like museum thumbnails) and a
 * TSV catalog pointing at them, for the end-to-end featurize bench. Usage: make-jpegs <dir> <count>
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";

const [dir = "/tmp/mosaic-gpu-bench", countArg = "4000"] = process.argv.slice(2);
const count = Number(countArg);
const W = 480;
const H = 360;
await mkdir(path.join(dir, "images"), { recursive: true });
const rows = ["id\tThumbnail_Url\tCulture\tClassification"];
const pixels = Buffer.alloc(W * H * 3);
let seed = 1;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
for (let i = 0; i < count; i++) {
  const [a, b, c] = [rand() * 255, rand() * 255, rand() * 255];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 3;
      const n = rand() * 40;
      pixels[o] = (a * x) / W + n;
      pixels[o + 1] = (b * y) / H + n;
      pixels[o + 2] = c * ((x + y) / (W + H)) + n;
    }
  }
  const file = path.join(dir, "images", `${i}.jpg`);
  await writeFile(
    file,
    await sharp(pixels, { raw: { width: W, height: H, channels: 3 } })
      .jpeg({ quality: 85 })
      .toBuffer(),
  );
  rows.push(`a${i}\t${file}\tculture${i % 7}\tclass${i % 5}`);
}
await writeFile(path.join(dir, "catalog.tsv"), `${rows.join("\n")}\n`);
console.log(`wrote ${count} JPEGs and ${path.join(dir, "catalog.tsv")}`);
