import type { IndexManifest, IndexRecord, Postings, VectorIndex } from "../src/vector-index/types.js";
import { vectorIndex } from "../src/vector-index/vector-index.js";
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

/** Facets every bench set carries: culture (correlated with the neighbourhood), type and artist (Zipf). */
const FACETS = ["culture", "type", "artist"] as const;
type Facets = Record<(typeof FACETS)[number], string>;

/** Rows → a VectorIndex with postings, as featurize would write it. */
function assemble(vectors: Float32Array, facets: Facets[], dim: number, modelId: string): VectorIndex {
  const count = facets.length;
  const records: IndexRecord[] = new Array(count);
  const lists = new Map<string, Map<string, number[]>>(FACETS.map((f) => [f, new Map()]));
  for (let o = 0; o < count; o++) {
    const f = facets[o]!;
    records[o] = { id: `a${String(o).padStart(8, "0")}`, image: "", facets: f, meta: {} };
    for (const name of FACETS) {
      const byValue = lists.get(name)!;
      const list = byValue.get(f[name]) ?? [];
      list.push(o);
      byValue.set(f[name], list);
    }
  }
  const postings: Postings = new Map(
    [...lists].map(([name, byValue]) => [
      name,
      new Map([...byValue].map(([v, l]) => [v, Uint32Array.from(l)])),
    ]),
  );
  const manifest = {
    format: "mosaic-index",
    version: 1,
    createdAt: new Date(0).toISOString(),
    model: { id: modelId, dim, preprocess: {} },
    dim,
    count,
    facets: [...FACETS],
    normalized: true,
    files: {},
  } as unknown as IndexManifest;
  return vectorIndex({ manifest, vectors, records, postings });
}

/**
 * Unit vectors around `clusters` Gaussian centers (noise relative to the center norm), with a Zipf
 * "culture" (60 values), "type" (12) and "artist" (4,000) per record — culture correlated with the
 * cluster, as real catalogs are — and queries that are perturbed copies of random rows.
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
  const artist = zipfSampler(r, 4000);
  const facets: Facets[] = new Array(count);
  for (let o = 0; o < count; o++) {
    const c = Math.floor(r() * clusters);
    for (let d = 0; d < dim; d++) vectors[o * dim + d] = centers[c * dim + d]! + noise * gauss(r);
    normalizeRow(vectors, o, dim);
    // Half the records take their cluster's culture, half a Zipf draw: labels and neighbourhoods correlate.
    facets[o] = { culture: `c${r() < 0.5 ? c % 60 : culture()}`, type: `t${type()}`, artist: `a${artist()}` };
  }
  const qs: Float32Array[] = [];
  for (let i = 0; i < queries; i++) {
    const o = Math.floor(r() * count);
    const q = new Float32Array(dim);
    for (let d = 0; d < dim; d++) q[d] = vectors[o * dim + d]! + noise * gauss(r);
    normalizeRow(q, 0, dim);
    qs.push(q);
  }
  return { index: assemble(vectors, facets, dim, "synthetic"), queries: qs };
}

/** Real embeddings to grow a bench set from: rows of a mosaic index and one group label per row. */
export interface Seeds {
  vectors: Float32Array;
  dim: number;
  count: number;
  /** A real facet value per row (aic-sample's department, style-tune's style): the bench's "culture". */
  groups: string[];
}

/**
 * Grows `seeds` (real CNN features) to `count` rows with the data's own structure: each new row is a real
 * row plus noise drawn from the seeds' covariance (a Gaussian combination of 16 centred seed rows, so the
 * noise lies in the subspace real features occupy rather than in every direction), scaled to `spread` × the
 * median nearest-neighbour distance among the seeds. Rows are first projected onto the seeds' top `dim`
 * principal directions (a collection-fitted projection, as the default model's transform is) and
 * normalized. Queries are fresh draws around random seeds, so their neighbours are mostly other rows grown
 * from the same seed and from its real neighbours.
 */
export function augmentedSet(
  seeds: Seeds,
  count: number,
  dim: number,
  queries: number,
  seed = 1,
  spread = 0.5,
): SyntheticSet {
  const r = rng(seed);
  const base = projectToPrincipal(seeds, Math.min(dim, seeds.dim), r);
  const d0 = base.dim;
  const m = seeds.count;
  const mean = new Float64Array(d0);
  for (let s = 0; s < m; s++) for (let d = 0; d < d0; d++) mean[d]! += base.vectors[s * d0 + d]! / m;
  const scale = spread * medianNearestDistance(base.vectors, m, d0, r);
  // Noise with the seeds' covariance, normalized so its expected squared norm is 1 before `scale`.
  let trace = 0;
  for (let s = 0; s < m; s++)
    for (let d = 0; d < d0; d++) trace += (base.vectors[s * d0 + d]! - mean[d]!) ** 2 / m;
  const MIX = 16;
  const noiseScale = scale / Math.sqrt(trace * MIX);
  const type = zipfSampler(r, 12);
  const artist = zipfSampler(r, 4000);
  const draw = (out: Float32Array, o: number, from: number) => {
    for (let d = 0; d < d0; d++) out[o * d0 + d] = base.vectors[from * d0 + d]!;
    for (let j = 0; j < MIX; j++) {
      const z = gauss(r) * noiseScale;
      const s = Math.floor(r() * m);
      for (let d = 0; d < d0; d++) out[o * d0 + d]! += z * (base.vectors[s * d0 + d]! - mean[d]!);
    }
    normalizeRow(out, o, d0);
  };
  const vectors = new Float32Array(count * d0);
  const facets: Facets[] = new Array(count);
  for (let o = 0; o < count; o++) {
    const from = o < m ? o : Math.floor(r() * m);
    draw(vectors, o, from);
    facets[o] = { culture: seeds.groups[from]!, type: `t${type()}`, artist: `a${artist()}` };
  }
  const qs: Float32Array[] = [];
  for (let i = 0; i < queries; i++) {
    const q = new Float32Array(d0);
    draw(q, 0, Math.floor(r() * m));
    qs.push(q);
  }
  return { index: assemble(vectors, facets, d0, `augmented(${m} seeds)`), queries: qs };
}

/** Projects the seeds onto their top-k principal directions (randomized subspace iteration) and normalizes. */
function projectToPrincipal(
  seeds: Seeds,
  k: number,
  r: () => number,
): { vectors: Float32Array; dim: number } {
  const { vectors: x, dim, count: m } = seeds;
  if (k >= dim) {
    const copy = x.slice(0, m * dim);
    for (let s = 0; s < m; s++) normalizeRow(copy, s, dim);
    return { vectors: copy, dim };
  }
  // Q (dim × k) ← orth(XᵀX Q), three rounds from a Gaussian start: enough for the leading subspace.
  let q = new Float64Array(dim * k);
  for (let i = 0; i < q.length; i++) q[i] = gauss(r);
  orthonormalizeColumns(q, dim, k);
  const xq = new Float64Array(m * k);
  for (let round = 0; round < 3; round++) {
    xq.fill(0);
    for (let s = 0; s < m; s++)
      for (let d = 0; d < dim; d++) {
        const v = x[s * dim + d]!;
        if (v === 0) continue;
        for (let j = 0; j < k; j++) xq[s * k + j]! += v * q[d * k + j]!;
      }
    const next = new Float64Array(dim * k);
    for (let s = 0; s < m; s++)
      for (let d = 0; d < dim; d++) {
        const v = x[s * dim + d]!;
        if (v === 0) continue;
        for (let j = 0; j < k; j++) next[d * k + j]! += v * xq[s * k + j]!;
      }
    orthonormalizeColumns(next, dim, k);
    q = next;
  }
  const out = new Float32Array(m * k);
  for (let s = 0; s < m; s++) {
    for (let d = 0; d < dim; d++) {
      const v = x[s * dim + d]!;
      if (v === 0) continue;
      for (let j = 0; j < k; j++) out[s * k + j]! += v * q[d * k + j]!;
    }
    normalizeRow(out, s, k);
  }
  return { vectors: out, dim: k };
}

/** Modified Gram–Schmidt over the k columns of a row-major rows × k matrix. */
function orthonormalizeColumns(a: Float64Array, rows: number, k: number): void {
  for (let j = 0; j < k; j++) {
    for (let p = 0; p < j; p++) {
      let dotp = 0;
      for (let i = 0; i < rows; i++) dotp += a[i * k + j]! * a[i * k + p]!;
      for (let i = 0; i < rows; i++) a[i * k + j]! -= dotp * a[i * k + p]!;
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += a[i * k + j]! ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < rows; i++) a[i * k + j]! *= inv;
  }
}

/** Median over (up to 300 sampled) seeds of the distance to their nearest other seed. */
function medianNearestDistance(v: Float32Array, m: number, dim: number, r: () => number): number {
  const out: number[] = [];
  for (let t = 0; t < Math.min(300, m); t++) {
    const a = Math.floor(r() * m);
    let best = Number.POSITIVE_INFINITY;
    for (let b = 0; b < m; b++) {
      if (b === a) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += (v[a * dim + d]! - v[b * dim + d]!) ** 2;
      best = Math.min(best, s);
    }
    out.push(Math.sqrt(best));
  }
  out.sort((x, y) => x - y);
  return out[out.length >> 1] ?? 1;
}

export { rng };
