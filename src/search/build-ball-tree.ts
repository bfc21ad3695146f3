import type { BallTreeData } from "./ball-tree-data.js";
import type { PointLabels } from "./point-labels.js";

/** MMLSpark's default: below this a node stops splitting and is scanned point by point. */
export const DEFAULT_LEAF_SIZE = 50;

function sqDist(v: Float32Array, a: number, b: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) {
    const d = v[a + i]! - v[b + i]!;
    s += d * d;
  }
  return s;
}

/**
 * Builds a conditional ball tree over `count` rows of `vectors`. Splits use farthest-pair pivots —
 * the node's first point, the point farthest from it (p1), the point farthest from p1 (p2) — and each
 * point goes to the nearer pivot. Everything is deterministic: no randomness, ties go left.
 */
export function buildBallTree(
  vectors: Float32Array,
  dim: number,
  count: number,
  labels: PointLabels,
  leafSize = DEFAULT_LEAF_SIZE,
): BallTreeData {
  if (!Number.isInteger(leafSize) || leafSize < 1)
    throw new RangeError(`leafSize must be ≥ 1, got ${leafSize}`);
  const perm = new Uint32Array(count);
  for (let i = 0; i < count; i++) perm[i] = i;
  const start: number[] = [];
  const end: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const radii: number[] = [];
  const centroids: Float32Array[] = [];
  const distP1 = new Float64Array(count);
  const mean = new Float64Array(dim);
  const mu = new Float32Array(dim);

  const addNode = (s: number, e: number): number => {
    const id = radii.length;
    start.push(s);
    end.push(e);
    left.push(-1);
    right.push(-1);
    // Mean in float64, stored as float32; the radius is measured from the stored centroid so the
    // search bound q·mu + r|q| holds exactly for what is on disk.
    mean.fill(0);
    for (let i = s; i < e; i++) {
      const off = perm[i]! * dim;
      for (let d = 0; d < dim; d++) mean[d]! += vectors[off + d]!;
    }
    const inv = e > s ? 1 / (e - s) : 0;
    for (let d = 0; d < dim; d++) mu[d] = mean[d]! * inv;
    let r2 = 0;
    for (let i = s; i < e; i++) {
      const off = perm[i]! * dim;
      let s2 = 0;
      for (let d = 0; d < dim; d++) {
        const x = vectors[off + d]! - mu[d]!;
        s2 += x * x;
      }
      if (s2 > r2) r2 = s2;
    }
    radii.push(Math.sqrt(r2));
    centroids.push(mu.slice());
    return id;
  };

  const farthest = (s: number, e: number, from: number, keep: boolean): number => {
    let best = perm[s]!;
    let bestD = -1;
    for (let i = s; i < e; i++) {
      const p = perm[i]!;
      const d = sqDist(vectors, p * dim, from * dim, dim);
      if (keep) distP1[p] = d;
      if (d > bestD) {
        bestD = d;
        best = p;
      }
    }
    return best;
  };

  const stack: number[] = count > 0 ? [addNode(0, count)] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const s = start[node]!;
    const e = end[node]!;
    if (e - s <= leafSize || radii[node] === 0) continue;
    const p1 = farthest(s, e, perm[s]!, false);
    const p2 = farthest(s, e, p1, true);
    // Partition in place: points nearer p1 (ties included) to the front.
    let i = s;
    let j = e - 1;
    while (i <= j) {
      const p = perm[i]!;
      if (distP1[p]! <= sqDist(vectors, p * dim, p2 * dim, dim)) i++;
      else {
        perm[i] = perm[j]!;
        perm[j] = p;
        j--;
      }
    }
    // Duplicate points can put everything on one side; halving still makes progress.
    const mid = i === s || i === e ? s + ((e - s) >> 1) : i;
    const l = addNode(s, mid);
    const r = addNode(mid, e);
    left[node] = l;
    right[node] = r;
    stack.push(r, l);
  }

  const nodes = radii.length;
  const packed = new Float32Array(nodes * dim);
  for (let n = 0; n < nodes; n++) packed.set(centroids[n]!, n * dim);
  const tree: BallTreeData = {
    dim,
    count,
    leafSize,
    perm,
    start: Uint32Array.from(start),
    end: Uint32Array.from(end),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    centroids: packed,
    radii: Float64Array.from(radii),
    labelNames: labels.names,
    labelOffsets: new Uint32Array(labels.names.length + 1),
    labelNodes: new Uint32Array(0),
    pointLabelOffsets: labels.offsets,
    pointLabelIds: labels.ids,
  };
  indexLabels(tree);
  return tree;
}

/**
 * For every label, the nodes whose subtree holds it (label → node list, CSR). Two sweeps — count,
 * then fill — so only one level of per-node label sets is alive at a time, never all of them.
 */
function indexLabels(tree: BallTreeData): void {
  const labels = tree.labelNames.length;
  const offsets = new Uint32Array(labels + 1);
  forEachNodeLabels(tree, (_node, ids) => {
    for (const id of ids) offsets[id + 1]!++;
  });
  for (let i = 0; i < labels; i++) offsets[i + 1]! += offsets[i]!;
  const nodesOf = new Uint32Array(offsets[labels]!);
  const fill = offsets.slice(0, labels);
  forEachNodeLabels(tree, (node, ids) => {
    for (const id of ids) nodesOf[fill[id]!++] = node;
  });
  tree.labelOffsets = offsets;
  tree.labelNodes = nodesOf;
}

const EMPTY = new Uint32Array(0);

/** Visits nodes children-first with the distinct label ids of each subtree (leaves: their points'; parents: the union). */
function forEachNodeLabels(tree: BallTreeData, visit: (node: number, ids: Uint32Array) => void): void {
  const nodes = tree.radii.length;
  const perNode: Uint32Array[] = new Array(nodes);
  const seen = new Int32Array(tree.labelNames.length).fill(-1);
  for (let n = nodes - 1; n >= 0; n--) {
    const got: number[] = [];
    const take = (id: number) => {
      if (seen[id] !== n) {
        seen[id] = n;
        got.push(id);
      }
    };
    const l = tree.left[n]!;
    const r = tree.right[n]!;
    if (l < 0) {
      for (let i = tree.start[n]!; i < tree.end[n]!; i++) {
        const p = tree.perm[i]!;
        for (let k = tree.pointLabelOffsets[p]!; k < tree.pointLabelOffsets[p + 1]!; k++)
          take(tree.pointLabelIds[k]!);
      }
    } else {
      for (const id of perNode[l]!) take(id);
      for (const id of perNode[r]!) take(id);
      perNode[l] = EMPTY;
      perNode[r] = EMPTY;
    }
    const ids = Uint32Array.from(got);
    perNode[n] = ids;
    visit(n, ids);
  }
}
