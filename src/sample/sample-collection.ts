import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { ORIGINAL_COLUMNS } from "../catalog/original-schema.js";
import { prng } from "../prng.js";

/**
 * The embedded default collection: synthetic "artworks" rendered deterministically with sharp, so a fresh
 * offline machine can run the whole job. Culture is carried by the colour palette and classification by the
 * motif, so visual similarity can recover both labels. Clearly synthetic: no real artwork is depicted.
 */
export const SAMPLE_VERSION = 1;

const CULTURES: Record<string, string[]> = {
  Japanese: ["#1d3557", "#f1faee", "#c1121f", "#457b9d"],
  Dutch: ["#7f5539", "#b08968", "#344e41", "#ddb892"],
  Egyptian: ["#1b4965", "#e9c46a", "#2a9d8f", "#264653"],
  Mexican: ["#d00070", "#ff7f11", "#ffd60a", "#3a0ca3"],
  Persian: ["#0096c7", "#023e8a", "#fefae0", "#48cae4"],
  Chinese: ["#9d0208", "#ffba08", "#03071e", "#dc2f02"],
};
const CLASSIFICATIONS = ["Textile", "Ceramic", "Print", "Mosaic"] as const;
const VARIANTS = 5;
const SIZE = 256;

export interface SampleCollection {
  /** Path of the generated catalog (original MosAIc TSV schema). */
  catalog: string;
  count: number;
}

function motifSvg(kind: (typeof CLASSIFICATIONS)[number], palette: string[], rand: () => number): string {
  const pick = () => palette[Math.floor(rand() * palette.length)] as string;
  const [bg, a, b, c] = palette as [string, string, string, string];
  const parts: string[] = [`<rect width="${SIZE}" height="${SIZE}" fill="${bg}"/>`];
  if (kind === "Textile") {
    const stripe = 10 + Math.floor(rand() * 14);
    for (let x = 0; x < SIZE; x += stripe * 2) {
      parts.push(`<rect x="${x}" y="0" width="${stripe}" height="${SIZE}" fill="${a}" opacity="0.85"/>`);
    }
    for (let y = 0; y < SIZE; y += stripe * 3) {
      parts.push(`<rect x="0" y="${y}" width="${SIZE}" height="${stripe / 2}" fill="${b}" opacity="0.7"/>`);
    }
  } else if (kind === "Ceramic") {
    const cx = 118 + rand() * 20;
    const w = 60 + rand() * 25;
    parts.push(`<rect width="${SIZE}" height="${SIZE}" fill="${c}" opacity="0.35"/>`);
    parts.push(`<ellipse cx="${cx}" cy="160" rx="${w}" ry="${w * 0.9}" fill="${a}"/>`);
    parts.push(`<rect x="${cx - 18}" y="40" width="36" height="80" fill="${a}"/>`);
    parts.push(`<ellipse cx="${cx}" cy="40" rx="30" ry="8" fill="${b}"/>`);
    parts.push(
      `<path d="M ${cx - w} 160 Q ${cx} 200 ${cx + w} 160" stroke="${b}" stroke-width="8" fill="none"/>`,
    );
  } else if (kind === "Print") {
    const ox = 60 + rand() * 136;
    const oy = 60 + rand() * 136;
    for (let r = 230; r > 8; r -= 16 + Math.floor(rand() * 6)) {
      parts.push(`<circle cx="${ox}" cy="${oy}" r="${r}" fill="none" stroke="${pick()}" stroke-width="5"/>`);
    }
  } else {
    const tile = 16 + Math.floor(rand() * 8);
    for (let y = 0; y < SIZE; y += tile) {
      for (let x = 0; x < SIZE; x += tile) {
        parts.push(
          `<rect x="${x + 1}" y="${y + 1}" width="${tile - 2}" height="${tile - 2}" fill="${pick()}"/>`,
        );
      }
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}">${parts.join("")}</svg>`;
}

/**
 * Writes the sample collection under `dir` (once; later calls reuse it) and returns its catalog path.
 * Written to a temp folder and renamed so an interrupted run never leaves half a sample behind.
 */
export async function ensureSampleCollection(dir: string): Promise<SampleCollection> {
  const root = path.join(dir, `sample-v${SAMPLE_VERSION}`);
  const catalog = path.join(root, "catalog.tsv");
  const count = Object.keys(CULTURES).length * CLASSIFICATIONS.length * VARIANTS;
  try {
    const text = await readFile(catalog, "utf8");
    if (text.trim().split("\n").length === count + 1) return { catalog, count };
  } catch {
    // not generated yet
  }
  const tmp = `${root}.tmp-${randomUUID()}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(path.join(tmp, "images"), { recursive: true });
  const rows: string[] = [ORIGINAL_COLUMNS.join("\t")];
  let seed = 1;
  for (const [culture, palette] of Object.entries(CULTURES)) {
    for (const kind of CLASSIFICATIONS) {
      for (let v = 1; v <= VARIANTS; v++) {
        const rand = prng(seed++);
        const id = `sample-${culture.toLowerCase()}-${kind.toLowerCase()}-${v}`;
        const file = `images/${id}.jpg`;
        await sharp(Buffer.from(motifSvg(kind, palette, rand)))
          .jpeg({ quality: 88 })
          .toFile(path.join(tmp, file));
        rows.push(
          [
            id,
            `${culture} ${kind} no. ${v} (synthetic)`,
            "mosaic sample generator",
            file,
            "",
            culture,
            kind,
            "",
            "mosaic sample",
          ].join("\t"),
        );
      }
    }
  }
  await writeFile(path.join(tmp, "catalog.tsv"), `${rows.join("\n")}\n`);
  await rm(root, { recursive: true, force: true });
  await rename(tmp, root);
  return { catalog, count };
}
