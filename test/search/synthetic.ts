import { vectorIndex } from "../../src/vector-index/vector-index.js";
import { createHash } from "node:crypto";
import { compareStrings } from "../../src/vector-index/compare-strings.js";
import { dot } from "../../src/search/dot.js";
import type { IndexManifest, IndexRecord, Postings, VectorIndex } from "../../src/vector-index/types.js";
import { prng as rng } from "../../src/prng.js";

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** count × dim unit vectors around `clusters` random centers; optional exact duplicates to exercise ties. */
export function clusteredVectors(
  count: number,
  dim: number,
  clusters: number,
  seed: number,
  noise = 0.5,
): Float32Array {
  const r = rng(seed);
  const centers = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => gauss(r)));
  const out = new Float32Array(count * dim);
  for (let p = 0; p < count; p++) {
    const c = centers[Math.floor(r() * clusters)]!;
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      const v = c[d]! + noise * gauss(r) * Math.sqrt(dim) * 0.1;
      out[p * dim + d] = v;
      sum += v * v;
    }
    const inv = 1 / Math.sqrt(sum);
    for (let d = 0; d < dim; d++) out[p * dim + d]! *= inv;
  }
  return out;
}

/** An in-memory VectorIndex with Zipf-ish facet values; ids are zero-padded so id order = ordinal order. */
export function syntheticIndex(
  vectors: Float32Array,
  dim: number,
  facets: Record<string, number>,
  seed: number,
): VectorIndex {
  const count = vectors.length / dim;
  const r = rng(seed);
  const records: IndexRecord[] = [];
  for (let p = 0; p < count; p++) {
    const f: Record<string, string> = {};
    for (const [name, values] of Object.entries(facets)) {
      // Zipf: value v with weight 1/(v+1); about one record in 20 has no value.
      f[name] = r() < 0.05 ? "" : `${name}${zipf(r, values)}`;
    }
    records.push({ id: `id${String(count - p).padStart(7, "0")}`, image: "", facets: f, meta: {} });
  }
  const postings: Postings = new Map();
  for (const name of Object.keys(facets)) {
    const byValue = new Map<string, number[]>();
    records.forEach((rec, p) => {
      const v = rec.facets[name]!;
      if (v === "") return;
      const list = byValue.get(v) ?? [];
      list.push(p);
      byValue.set(v, list);
    });
    postings.set(name, new Map([...byValue].map(([v, l]) => [v, Uint32Array.from(l)])));
  }
  const manifest = {
    format: "mosaic-index",
    version: 1,
    createdAt: "2024-01-01T00:00:00.000Z",
    model: { id: "synthetic", dim, preprocess: {} },
    dim,
    count,
    facets: Object.keys(facets),
    normalized: true,
    files: {
      "vectors.f32": {
        bytes: count * dim * 4,
        sha256: createHash("sha256")
          .update(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength))
          .digest("hex"),
      },
    },
  } as unknown as IndexManifest;
  return vectorIndex({ manifest, vectors, records, postings });
}

function zipf(r: () => number, values: number): number {
  let total = 0;
  for (let v = 0; v < values; v++) total += 1 / (v + 1);
  let x = r() * total;
  for (let v = 0; v < values; v++) {
    x -= 1 / (v + 1);
    if (x <= 0) return v;
  }
  return values - 1;
}

/** Brute-force top-k by inner product among ordinals passing `ok`, ties by id (or ordinal) ascending. */
export function bruteForce(
  vectors: Float32Array,
  dim: number,
  query: Float32Array,
  k: number,
  ok: (o: number) => boolean,
  idOf: (o: number) => string = (o) => String(o).padStart(10, "0"),
): { ordinal: number; score: number }[] {
  const all: { ordinal: number; score: number }[] = [];
  for (let o = 0; o < vectors.length / dim; o++) {
    if (!ok(o)) continue;
    // The same kernel as the engines, so equal inputs give bit-identical scores.
    all.push({ ordinal: o, score: dot(query, 0, vectors, o * dim, dim) });
  }
  all.sort((a, b) => b.score - a.score || compareStrings(idOf(a.ordinal), idOf(b.ordinal)));
  return all.slice(0, k);
}

export { rng };
