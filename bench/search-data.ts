import { vectorIndex } from "../src/index/vector-index.js";
import type { IndexManifest, IndexRecord, Postings, VectorIndex } from "../src/index/types.js";
import { prng as rng } from "../src/prng.js";

export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** Normalizes row `o` of `v` in place. */
function normalizeRow(v: Float32Array, o: number, dim: number): void {
  let s = 0;
  for (let d = 0; d < dim; d++) s += v[o * dim + d]! ** 2;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let d = 0; d < dim; d++) v[o * dim + d]! *= inv;
}

function zipfSampler(r: () => number, values: number): () => number {
  const cdf = new Float64Array(values);
  let total = 0;
  for (let v = 0; v < values; v++) cdf[v] = total += 1 / (v + 1);
  return () => {
    const x = r() * total;
    let lo = 0;
    let hi = values - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface SyntheticSet {
  index: VectorIndex;
  queries: Float32Array[];
}

/**
 * Unit vectors around `clusters` Gaussian centers (noise relative to the center norm), with a Zipf
 * "culture" (60 values) and "type" (12 values) per record — culture correlated with the cluster, as real
 * catalogs are — and queries that are perturbed copies of random rows.
 */
export function syntheticSet(
  count: number,
  dim: number,
  clusters: number,
  queries: number,
  seed = 1,
): SyntheticSet {
  const r = rng(seed);
  const centers = new Float32Array(clusters * dim);
  for (let i = 0; i < centers.length; i++) centers[i] = gauss(r);
  for (let c = 0; c < clusters; c++) normalizeRow(centers, c, dim);
  const noise = 0.9 / Math.sqrt(dim);
  const vectors = new Float32Array(count * dim);
  const culture = zipfSampler(r, 60);
  const type = zipfSampler(r, 12);
  const records: IndexRecord[] = new Array(count);
  const postings: Postings = new Map([
    ["culture", new Map()],
    ["type", new Map()],
  ]);
  const lists = { culture: new Map<string, number[]>(), type: new Map<string, number[]>() };
  for (let o = 0; o < count; o++) {
    const c = Math.floor(r() * clusters);
    for (let d = 0; d < dim; d++) vectors[o * dim + d] = centers[c * dim + d]! + noise * gauss(r);
    normalizeRow(vectors, o, dim);
    // Half the records take their cluster's culture, half a Zipf draw: labels and neighbourhoods correlate.
    const facets = { culture: `c${r() < 0.5 ? c % 60 : culture()}`, type: `t${type()}` };
    records[o] = { id: `a${String(o).padStart(8, "0")}`, image: "", facets, meta: {} };
    for (const f of ["culture", "type"] as const) {
      const list = lists[f].get(facets[f]) ?? [];
      list.push(o);
      lists[f].set(facets[f], list);
    }
  }
  for (const f of ["culture", "type"] as const) {
    for (const [v, l] of lists[f]) postings.get(f)!.set(v, Uint32Array.from(l));
  }
  const qs: Float32Array[] = [];
  for (let i = 0; i < queries; i++) {
    const o = Math.floor(r() * count);
    const q = new Float32Array(dim);
    for (let d = 0; d < dim; d++) q[d] = vectors[o * dim + d]! + noise * gauss(r);
    normalizeRow(q, 0, dim);
    qs.push(q);
  }
  const manifest = {
    format: "mosaic-index",
    version: 1,
    createdAt: new Date(0).toISOString(),
    model: { id: "synthetic", dim, preprocess: {} },
    dim,
    count,
    facets: ["culture", "type"],
    normalized: true,
    files: {},
  } as unknown as IndexManifest;
  const index = vectorIndex({ manifest, vectors, records, postings });
  return { index, queries: qs };
}

export { rng };
