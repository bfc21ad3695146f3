import { prng } from "../prng.js";

/**
 * Eigendecomposition of a real symmetric matrix: Householder reduction to tridiagonal form, then the
 * implicit QL algorithm (tred2/tql2, as in EISPACK and the public-domain JAMA). O(n³) in float64;
 * a 1296² covariance takes a few seconds on one core, which featurize pays once per index.
 */
export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Row i (n values) is the unit eigenvector of values[i]. */
  vectors: Float64Array;
}

/**
 * The `top` largest eigenpairs only: Householder tridiagonalization (with Q), the eigenvalues by QL
 * without vectors, then each wanted eigenvector of the tridiagonal by inverse iteration (orthogonalized
 * within clusters of close eigenvalues, as EISPACK tinvit does) mapped back through Q. Skips the O(n³)
 * eigenvector accumulation of the full QL, which was 2/3 of the time for a 1296² covariance.
 */
export function symmetricEigenTop(a: Float64Array, n: number, top: number): SymmetricEigen {
  const k = Math.min(top, n);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) v[i * n + j] = v[j * n + i] = a[i * n + j]!;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(v, d, e, n);
  // The tridiagonal T: diagonal d, off-diagonal off[i] between rows i and i+1.
  const diag = Float64Array.from(d);
  const off = new Float64Array(Math.max(n - 1, 0));
  for (let i = 1; i < n; i++) off[i - 1] = e[i]!;
  const lambdas = Float64Array.from(d);
  const sub = Float64Array.from(e);
  tql1(lambdas, sub, n);
  const order = Array.from(lambdas).sort((x, y) => y - x);
  let norm = 0;
  for (let i = 0; i < n; i++)
    norm = Math.max(norm, Math.abs(diag[i]!) + Math.abs(off[i] ?? 0) + Math.abs(off[i - 1] ?? 0));
  if (norm === 0) {
    // The zero matrix (a one-row collection's covariance): any orthonormal basis is an eigenbasis.
    const vectors = new Float64Array(k * n);
    for (let r = 0; r < k; r++) vectors[r * n + r] = 1;
    return { values: new Float64Array(k), vectors };
  }
  const eps3 = norm * 2 ** -52 * 10;
  const cluster = 1e-3 * norm;
  const values = new Float64Array(k);
  const tvecs = new Float64Array(k * n);
  const vectors = new Float64Array(k * n);
  const uniform = prng(12345);
  const rand = () => uniform() - 0.5;
  let prev = Number.POSITIVE_INFINITY;
  for (let r = 0; r < k; r++) {
    let lambda = order[r]!;
    values[r] = lambda;
    // Coincident eigenvalues would give the same vector: nudge the shift apart, as tinvit does.
    if (prev - lambda < eps3) lambda = prev - eps3;
    prev = lambda;
    const x = tvecs.subarray(r * n, r * n + n);
    for (let i = 0; i < n; i++) x[i] = rand();
    const lu = factorShifted(diag, off, n, lambda, eps3);
    for (let iter = 0; iter < 3; iter++) {
      solveShifted(lu, x, n);
      for (let q = r - 1; q >= 0 && values[q]! - values[r]! <= cluster; q--) {
        const y = tvecs.subarray(q * n, q * n + n);
        let s = 0;
        for (let i = 0; i < n; i++) s += x[i]! * y[i]!;
        for (let i = 0; i < n; i++) x[i]! -= s * y[i]!;
      }
      let ss = 0;
      for (let i = 0; i < n; i++) ss += x[i]! ** 2;
      const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
      for (let i = 0; i < n; i++) x[i]! *= inv;
    }
    // Back to A's coordinates: Q·x, Q's columns contiguous (column-major storage, see tred2).
    const out = vectors.subarray(r * n, r * n + n);
    for (let j = 0; j < n; j++) {
      const xj = x[j]!;
      if (xj === 0) continue;
      const col = j * n;
      for (let i = 0; i < n; i++) out[i]! += xj * v[col + i]!;
    }
  }
  return { values, vectors };
}

/** LU with partial pivoting of T − λI (T tridiagonal): U has up to two superdiagonals. */
interface ShiftedLu {
  u0: Float64Array;
  u1: Float64Array;
  u2: Float64Array;
  mult: Float64Array;
  swap: Uint8Array;
}

function factorShifted(
  diag: Float64Array,
  off: Float64Array,
  n: number,
  lambda: number,
  eps: number,
): ShiftedLu {
  const lu: ShiftedLu = {
    u0: new Float64Array(n),
    u1: new Float64Array(n),
    u2: new Float64Array(n),
    mult: new Float64Array(n),
    swap: new Uint8Array(n),
  };
  let p = diag[0]! - lambda;
  let q = n > 1 ? off[0]! : 0;
  for (let i = 0; i < n - 1; i++) {
    const below = off[i]!;
    const nextDiag = diag[i + 1]! - lambda;
    const nextOff = i + 1 < n - 1 ? off[i + 1]! : 0;
    if (Math.abs(below) > Math.abs(p)) {
      lu.swap[i] = 1;
      lu.u0[i] = below;
      lu.u1[i] = nextDiag;
      lu.u2[i] = nextOff;
      const m = p / below;
      lu.mult[i] = m;
      p = q - m * nextDiag;
      q = -m * nextOff;
    } else {
      if (p === 0) p = eps;
      lu.u0[i] = p;
      lu.u1[i] = q;
      lu.u2[i] = 0;
      const m = below / p;
      lu.mult[i] = m;
      p = nextDiag - m * q;
      q = nextOff;
    }
  }
  lu.u0[n - 1] = p === 0 ? eps : p;
  return lu;
}

/** Solves (T − λI)·x = b in place. */
function solveShifted(lu: ShiftedLu, b: Float64Array, n: number): void {
  for (let i = 0; i < n - 1; i++) {
    if (lu.swap[i]) {
      const t = b[i]!;
      b[i] = b[i + 1]!;
      b[i + 1] = t;
    }
    b[i + 1]! -= lu.mult[i]! * b[i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    if (i + 1 < n) s -= lu.u1[i]! * b[i + 1]!;
    if (i + 2 < n) s -= lu.u2[i]! * b[i + 2]!;
    b[i] = s / lu.u0[i]!;
  }
}

/** `a` is n×n row-major and symmetric (only its lower triangle is read); it is not modified. */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  // Symmetric, so the same bytes in either layout; the lower triangle is mirrored.
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) v[i * n + j] = v[j * n + i] = a[i * n + j]!;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(v, d, e, n);
  tql2(v, d, e, n);
  // Columns of V are eigenvectors (ascending after tql2); return rows, descending.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y]! - d[x]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, row) => {
    values[row] = d[col]!;
    vectors.set(v.subarray(col * n, col * n + n), row * n);
  });
  return { values, vectors };
}

// V[i][j] is stored at j·n + i (column-major): the algorithms' inner loops walk down columns, which
// are then contiguous; row-major storage made the decomposition ~5× slower through cache misses.

function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  const at = (i: number, j: number) => j * n + i;
  for (let j = 0; j < n; j++) d[j] = V[at(n - 1, j)]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[at(i - 1, j)]!;
        V[at(i, j)] = 0;
        V[at(j, i)] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[at(j, i)] = f;
        g = e[j]! + V[at(j, j)]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[at(k, j)]! * d[k]!;
          e[k]! += V[at(k, j)]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[at(k, j)]! -= f * e[k]! + g * d[k]!;
        d[j] = V[at(i - 1, j)]!;
        V[at(i, j)] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[at(n - 1, i)] = V[at(i, i)]!;
    V[at(i, i)] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[at(k, i + 1)]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[at(k, i + 1)]! * V[at(k, j)]!;
        for (let k = 0; k <= i; k++) V[at(k, j)]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[at(k, i + 1)] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[at(n - 1, j)]!;
    V[at(n - 1, j)] = 0;
  }
  V[at(n - 1, n - 1)] = 1;
  e[0] = 0;
}

function tql2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          // The rotation touches columns i and i+1 (contiguous in this layout).
          const ci = i * n;
          const cj = ci + n;
          for (let k = 0; k < n; k++) {
            const hk = V[cj + k]!;
            V[cj + k] = s * V[ci + k]! + c * hk;
            V[ci + k] = c * V[ci + k]! - s * hk;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

/** tql2 without eigenvectors: the eigenvalues of the tridiagonal (d, e) land in d, unsorted. */
function tql1(d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}
