import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IndexRecord, ModelInfo } from "../../src/vector-index/types.js";
import { prng } from "../../src/prng.js";

export function model(dim: number, id = "test-model"): ModelInfo {
  return {
    id,
    dim,
    preprocess: {
      height: 224,
      width: 224,
      resize: "squash",
      channelOrder: "rgb",
      mean: [0, 0, 0],
      std: [1, 1, 1],
      layout: "nhwc",
    },
  };
}

export const CULTURES = ["dutch", "french", "japanese", "chinese", ""];
export const KINDS = ["painting", "print", "vase"];

/** `count` records with ids r000…, random culture/kind facets, and random (unnormalized) vectors. */
export function randomData(count: number, dim: number, seed: number, idPrefix = "r") {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const records: IndexRecord[] = [];
  const vectors: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    records.push({
      id: `${idPrefix}${String(i).padStart(4, "0")}`,
      image: `https://example.org/${i}.jpg`,
      facets: { culture: pick(CULTURES), kind: pick(KINDS) },
      meta: { title: `Work ${i}` },
    });
    vectors.push(Float32Array.from({ length: dim }, () => rand() * 2 - 1));
  }
  return { records, vectors };
}

export async function tempDir(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "mosaic-index-"));
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Names in `root` other than the given ones (leftover temp/old dirs). */
export async function strayEntries(root: string, expected: string[]): Promise<string[]> {
  return (await readdir(root)).filter((n) => !expected.includes(n));
}

export { prng };
