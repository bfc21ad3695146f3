import type { EmbedPort } from "../../src/contracts/ports.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import type { IndexRecord, ModelInfo, VectorIndex } from "../../src/vector-index/types.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import type { PreprocessSpec } from "../../src/contracts/preprocess-spec.js";
import { makeTempDir } from "../helpers/temp-dir.js";

export const DIM = 8;
/** A 2×2 RGB input: 12 floats per image, the first DIM of which the fake model returns as features. */
export const SPEC: PreprocessSpec = {
  height: 2,
  width: 2,
  resize: "squash",
  channelOrder: "rgb",
  mean: [0, 0, 0],
  std: [1, 1, 1],
  layout: "nhwc",
};
const MODEL: ModelInfo = { id: "fake-model", dim: DIM, preprocess: SPEC };

const unit = (i: number) => Array.from({ length: DIM }, (_, k) => (k === i ? 1 : 0));
const mix = (a: number, b: number) => Array.from({ length: DIM }, (_, k) => (k === 0 ? a : k === 1 ? b : 0));

const rec = (id: string, culture: string, classification: string, title: string): IndexRecord => ({
  id,
  image: `https://img.example.org/${id}.jpg`,
  facets: { culture, classification },
  meta: { Title: title, Artist: `Artist of ${id}` },
});

/** Five artworks; a JPEG query (features e0) ranks them a1 > a2 > a3 > a4 > a5. */
export const RECORDS: IndexRecord[] = [
  rec("a1", "Dutch", "painting", "Still Life"),
  rec("a2", "French", "print", "Harbour"),
  rec("a3", "Japanese", "print", "Wave"),
  rec("a4", "Dutch", "vase", "Tulip Vase"),
  rec("a5", "", "painting", "Night"),
];
const VECTORS = [unit(0), mix(0.9, 0.1), mix(0.5, 0.5), unit(1), mix(-1, 0)];

/** Writes the tiny index with the real writer and loads it with the real loader. */
export async function makeIndex(): Promise<{ index: VectorIndex; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await makeTempDir("mosaic-server-");
  const path = `${dir}/index`;
  await writeIndex(path, {
    model: MODEL,
    facets: ["culture", "classification"],
    records: RECORDS,
    vectors: VECTORS.map((v) => Float32Array.from(v)),
  });
  return { index: await loadIndex(path), cleanup };
}

/** A fake model: each image's features are its first DIM input values. Records every batch size. */
export function fakeEmbedder(): EmbedPort & { batches: number[]; block?: Promise<void> } {
  const perImage = SPEC.height * SPEC.width * 3;
  const self = {
    dim: DIM,
    batches: [] as number[],
    block: undefined as Promise<void> | undefined,
    async embed(batch: Float32Array, n: number) {
      self.batches.push(n);
      if (self.block) await self.block;
      const out = new Float32Array(n * DIM);
      for (let i = 0; i < n; i++) out.set(batch.subarray(i * perImage, i * perImage + DIM), i * DIM);
      return out;
    },
  };
  return self;
}

/** Fake decoder: a JPEG decodes to features e0, a PNG to e1 (anything else was refused by sniffing). */
export async function fakeDecode(buf: Buffer, spec: PreprocessSpec): Promise<Float32Array> {
  const out = new Float32Array(spec.height * spec.width * 3);
  out[buf[0] === 0xff ? 0 : 1] = 1;
  return out;
}
