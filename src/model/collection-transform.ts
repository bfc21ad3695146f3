import { symmetricEigenTop } from "./symmetric-eigen.js";
import type { TransformRecipe } from "./transform-recipe.js";

/** One fitted block: raw columns [offset, offset+inDim) → k whitened components. */
export interface FittedBlock {
  inDim: number;
  k: number;
  weight: number;
  /** inDim: the collection mean after the block's power normalization. */
  mean: Float32Array;
  /** k × inDim, row i = principal direction i already multiplied by its whitening scale. */
  proj: Float32Array;
}

/** A "pw" transform fitted on a collection (see TransformRecipe); `apply` is all a query needs. */
export interface FittedTransform {
  kind: "pw";
  inDim: number;
  outDim: number;
  shrink: number;
  power: number;
  /** Rows the fit was made on (a refit pays once the collection has grown well past it). */
  fittedOn: number;
  blocks: FittedBlock[];
}

/** Rows sampled for the covariance: its cost is rows·d², and 4k rows pin the top of a 1.3k-d spectrum well. */
const MAX_FIT_ROWS = 4096;

/** L2 → signed sqrt → L2 of `src[off..off+dim)` into `out` (float64). */
function powerNormalize(src: Float32Array, off: number, dim: number, out: Float64Array): void {
  let ss = 0;
  for (let i = 0; i < dim; i++) ss += src[off + i]! ** 2;
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  let ss2 = 0;
  for (let i = 0; i < dim; i++) {
    const x = src[off + i]! * inv;
    const y = Math.sign(x) * Math.sqrt(Math.abs(x));
    out[i] = y;
    ss2 += y * y;
  }
  const inv2 = ss2 > 0 ? 1 / Math.sqrt(ss2) : 0;
  for (let i = 0; i < dim; i++) out[i]! *= inv2;
}

/** Evenly spread row numbers (deterministic: the same collection always gives the same fit). */
function sampleRows(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * n) / max));
}

/** A block's spectrum: what a fit keeps before the whitening scales are chosen. */
export interface BlockSpectrum {
  inDim: number;
  mean: Float64Array;
  /** Top eigenvalues, descending (at most n−1 of them). */
  values: Float64Array;
  /** values.length × inDim, row i the unit eigenvector of values[i], sign fixed. */
  vectors: Float64Array;
}

/**
 * The per-block spectra of `raw` (n × inDim, row-major): power-normalize every row, take the mean and
 * the covariance's top eigenpairs (capped at n−1 and at the most any block asks for: further
 * directions are noise). The expensive half of a fit.
 */
export function fitSpectra(
  blocks: readonly { dim: number; k: number }[],
  raw: Float32Array,
  n: number,
): BlockSpectrum[] {
  const inDim = blocks.reduce((s, b) => s + b.dim, 0);
  if (raw.length !== n * inDim) throw new Error(`fitTransform: ${raw.length} values for ${n}×${inDim}`);
  const rows = sampleRows(n, MAX_FIT_ROWS);
  const out: BlockSpectrum[] = [];
  let offset = 0;
  for (const spec of blocks) {
    const d = spec.dim;
    const keep = Math.max(1, Math.min(spec.k, rows.length - 1, d));
    const x = new Float64Array(rows.length * d);
    const row = new Float64Array(d);
    const mean = new Float64Array(d);
    rows.forEach((r, i) => {
      powerNormalize(raw, r * inDim + offset, d, row);
      x.set(row, i * d);
      for (let j = 0; j < d; j++) mean[j]! += row[j]!;
    });
    for (let j = 0; j < d; j++) mean[j]! /= rows.length;
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < d; j++) x[i * d + j]! -= mean[j]!;
    const { values, vectors: top } =
      rows.length < d
        ? gramEigen(x, rows.length, d, keep)
        : symmetricEigenTop(covariance(x, rows.length, d), d, keep);
    for (let i = 0; i < keep; i++) {
      // A fixed sign per direction (largest entry positive) makes the fit reproducible.
      let big = 0;
      for (let j = 0; j < d; j++) if (Math.abs(top[i * d + j]!) > Math.abs(big)) big = top[i * d + j]!;
      if (big < 0) for (let j = 0; j < d; j++) top[i * d + j] = -top[i * d + j]!;
    }
    out.push({ inDim: d, mean, values: values.slice(0, keep), vectors: top });
    offset += d;
  }
  return out;
}

/**
 * Whitening from spectra: block b keeps its top k components, component i scaled by
 * (λᵢ + shrink·mean(λ₁..λ_k))^(−power), folded into the projection rows.
 */
export function whitenFromSpectra(
  recipe: Pick<TransformRecipe, "blocks" | "shrink" | "power">,
  spectra: readonly BlockSpectrum[],
  fittedOn: number,
): FittedTransform {
  const blocks = recipe.blocks.map((spec, bi): FittedBlock => {
    const s = spectra[bi]!;
    const d = s.inDim;
    const k = Math.max(1, Math.min(spec.k, s.values.length));
    let meanTop = 0;
    for (let i = 0; i < k; i++) meanTop += Math.max(s.values[i]!, 0);
    meanTop /= k;
    const proj = new Float32Array(k * d);
    for (let i = 0; i < k; i++) {
      const lambda = Math.max(s.values[i]!, 0) + recipe.shrink * meanTop;
      // A direction without variance (one-row collections) carries nothing: drop it rather than divide by 0.
      const scale = lambda > 0 ? lambda ** -recipe.power : 0;
      for (let j = 0; j < d; j++) proj[i * d + j] = s.vectors[i * d + j]! * scale;
    }
    return { inDim: d, k, weight: spec.weight, mean: Float32Array.from(s.mean), proj };
  });
  return {
    kind: "pw",
    inDim: blocks.reduce((s, b) => s + b.inDim, 0),
    outDim: blocks.reduce((s, b) => s + b.k, 0),
    shrink: recipe.shrink,
    power: recipe.power,
    fittedOn,
    blocks,
  };
}

/** Fits the recipe's transform on `raw` (n × inDim rows): {@link fitSpectra} then {@link whitenFromSpectra}. */
export function fitTransform(recipe: TransformRecipe, raw: Float32Array, n: number): FittedTransform {
  return whitenFromSpectra(recipe, fitSpectra(recipe.blocks, raw, n), n);
}

/**
 * Fewer rows than dimensions: the covariance's nonzero eigenpairs from the n × n Gram matrix
 * (1/n)·XXᵀ = UΛUᵀ, with vᵢ = Xᵀuᵢ / √(n·λᵢ). O(n²·d + n³) instead of O(d³): a 120-row sample
 * collection fits in milliseconds.
 */
function gramEigen(
  x: Float64Array,
  n: number,
  d: number,
  keep: number,
): { values: Float64Array; vectors: Float64Array } {
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += x[i * d + t]! * x[j * d + t]!;
      g[i * n + j] = g[j * n + i] = s / n;
    }
  }
  const { values, vectors: u } = symmetricEigenTop(g, n, keep);
  const vectors = new Float64Array(keep * d);
  for (let r = 0; r < keep; r++) {
    const lambda = values[r]!;
    if (!(lambda > 0)) continue;
    const inv = 1 / Math.sqrt(n * lambda);
    for (let i = 0; i < n; i++) {
      const w = u[r * n + i]! * inv;
      if (w === 0) continue;
      for (let t = 0; t < d; t++) vectors[r * d + t]! += w * x[i * d + t]!;
    }
  }
  return { values, vectors };
}

/** (1/n)·XᵀX of a centred n × d matrix, lower triangle mirrored. */
function covariance(x: Float64Array, n: number, d: number): Float64Array {
  const c = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const off = r * d;
    for (let i = 0; i < d; i++) {
      const xi = x[off + i]!;
      if (xi === 0) continue;
      const ci = i * d;
      for (let j = 0; j <= i; j++) c[ci + j]! += xi * x[off + j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = c[i * d + j]! / n;
      c[i * d + j] = v;
      c[j * d + i] = v;
    }
  }
  return c;
}

/**
 * Applies a fitted transform to n raw rows: per block power-normalize, centre, project, L2, weight;
 * concatenate and L2. Output n × outDim, unit rows (a zero input stays zero).
 */
export function applyTransform(t: FittedTransform, raw: Float32Array, n: number): Float32Array {
  if (raw.length !== n * t.inDim) throw new Error(`applyTransform: ${raw.length} values for ${n}×${t.inDim}`);
  const out = new Float32Array(n * t.outDim);
  const maxDim = Math.max(...t.blocks.map((b) => b.inDim));
  const row = new Float64Array(maxDim);
  const y = new Float64Array(t.outDim);
  for (let r = 0; r < n; r++) {
    let inOff = 0;
    let outOff = 0;
    for (const b of t.blocks) {
      powerNormalize(raw, r * t.inDim + inOff, b.inDim, row);
      for (let j = 0; j < b.inDim; j++) row[j]! -= b.mean[j]!;
      let ss = 0;
      for (let i = 0; i < b.k; i++) {
        const p = i * b.inDim;
        let s = 0;
        for (let j = 0; j < b.inDim; j++) s += b.proj[p + j]! * row[j]!;
        y[outOff + i] = s;
        ss += s * s;
      }
      const scale = ss > 0 ? b.weight / Math.sqrt(ss) : 0;
      for (let i = 0; i < b.k; i++) y[outOff + i]! *= scale;
      inOff += b.inDim;
      outOff += b.k;
    }
    let ss = 0;
    for (let i = 0; i < t.outDim; i++) ss += y[i]! ** 2;
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let i = 0; i < t.outDim; i++) out[r * t.outDim + i] = y[i]! * inv;
  }
  return out;
}
