import { dot } from "./dot.js";
import { TopKHeaps } from "./top-k.js";
import type { BallTreeData } from "./ball-tree-data.js";
import { readBallTree, writeBallTree } from "./ball-tree-file.js";
import { buildBallTree, DEFAULT_LEAF_SIZE } from "./build-ball-tree.js";
import { type PointLabels, pointLabelsFromLists } from "./point-labels.js";

/** One result of the ball tree: `distance` is the inner product (MMLSpark's naming). */
export interface BallTreeMatch {
  index: number;
  distance: number;
}

export interface BallTreeSearchOptions {
  /** Extra per-point test applied in the leaves (e.g. the other fields of an AND filter). */
  accept?: ((ordinal: number) => boolean) | undefined;
  /** Breaks score ties (ascending); defaults to the ordinal. */
  idOf?: ((ordinal: number) => string) | undefined;
}

/**
 * Rounding in q·mu, r and |q| is ~1e-7; pruning only below bound + slack keeps the search exact,
 * including ties, at no measurable cost in visited nodes.
 */
const BOUND_SLACK = 1e-5;

/**
 * A port of MMLSpark's ConditionalBallTree: exact maximum-inner-product search over vectors, optionally
 * restricted to points carrying any of a set of labels. Subtrees without those labels are skipped
 * whole; points in the leaves are checked one by one.
 */
export class ConditionalBallTree {
  private constructor(
    readonly data: BallTreeData,
    private readonly vectors: Float32Array,
    private readonly labelIds: Map<string, number>,
  ) {}

  /** Builds over `count` rows of `vectors` (row-major, `dim` wide) with labels per point. */
  static build(
    vectors: Float32Array,
    dim: number,
    labels: PointLabels | readonly (readonly string[])[],
    leafSize = DEFAULT_LEAF_SIZE,
  ): ConditionalBallTree {
    const csr = "offsets" in labels ? labels : pointLabelsFromLists(labels as readonly (readonly string[])[]);
    const count = csr.offsets.length - 1;
    return ConditionalBallTree.of(buildBallTree(vectors, dim, count, csr, leafSize), vectors);
  }

  /** Reads a tree written by save(); `vectors` must be the rows it was built over. */
  static load(path: string, vectors: Float32Array): ConditionalBallTree {
    return ConditionalBallTree.of(readBallTree(path), vectors);
  }

  private static of(data: BallTreeData, vectors: Float32Array): ConditionalBallTree {
    if (vectors.length < data.count * data.dim) {
      throw new RangeError(
        `Ball tree covers ${data.count} rows but only ${vectors.length / data.dim} were given`,
      );
    }
    return new ConditionalBallTree(data, vectors, new Map(data.labelNames.map((name, i) => [name, i])));
  }

  save(path: string): void {
    writeBallTree(path, this.data);
  }

  /** Bytes of the tree's own arrays (not the vectors it points into). */
  get bytes(): number {
    const t = this.data;
    return (
      t.perm.byteLength +
      t.start.byteLength +
      t.end.byteLength +
      t.left.byteLength +
      t.right.byteLength +
      t.centroids.byteLength +
      t.radii.byteLength +
      t.labelOffsets.byteLength +
      t.labelNodes.byteLength +
      t.pointLabelOffsets.byteLength +
      t.pointLabelIds.byteLength
    );
  }

  /**
   * The k points with the largest inner product with `query`, best first (ties by idOf, else ordinal).
   * With `labels`, only points holding at least one of them qualify; unknown labels match nothing.
   * Exact: depth-first branch and bound with the ball bound q·mu + r·|q|, nearer child first.
   */
  findMaximumInnerProducts(
    query: Float32Array,
    labels: Iterable<string> | undefined,
    k: number,
    options: BallTreeSearchOptions = {},
  ): BallTreeMatch[] {
    const t = this.data;
    const { dim } = t;
    if (query.length !== dim)
      throw new RangeError(`Query has ${query.length} dimensions; the tree has ${dim}`);
    if (k <= 0 || t.count === 0) return [];
    const nodes = t.radii.length;
    let nodeOk: Uint8Array | undefined;
    let labelOk: Uint8Array | undefined;
    if (labels !== undefined) {
      nodeOk = new Uint8Array(nodes);
      labelOk = new Uint8Array(t.labelNames.length);
      let any = false;
      for (const name of labels) {
        const id = this.labelIds.get(name);
        if (id === undefined || labelOk[id]) continue;
        labelOk[id] = 1;
        any = true;
        for (let i = t.labelOffsets[id]!; i < t.labelOffsets[id + 1]!; i++) nodeOk[t.labelNodes[i]!] = 1;
      }
      if (!any) return [];
    }
    const idOf = options.idOf ?? ((o: number) => o.toString().padStart(10, "0"));
    const accept = options.accept;
    const heap = new TopKHeaps(1, k, idOf);
    let qNorm = 0;
    for (let i = 0; i < dim; i++) qNorm += query[i]! * query[i]!;
    qNorm = Math.sqrt(qNorm);
    const bound = (node: number) => dot(query, 0, t.centroids, node * dim, dim) + t.radii[node]! * qNorm;

    // Explicit stack of (node, bound); the deeper-first order is what makes it depth-first.
    const stackNode: number[] = [];
    const stackBound: number[] = [];
    if (nodeOk === undefined || nodeOk[0]) {
      stackNode.push(0);
      stackBound.push(bound(0));
    }
    while (stackNode.length > 0) {
      const node = stackNode.pop()!;
      const b = stackBound.pop()!;
      if (heap.sizes[0] === k && b + BOUND_SLACK < heap.scores[0]!) continue;
      const l = t.left[node]!;
      if (l < 0) {
        for (let i = t.start[node]!; i < t.end[node]!; i++) {
          const p = t.perm[i]!;
          if (labelOk !== undefined && !this.hasLabel(p, labelOk)) continue;
          if (accept !== undefined && !accept(p)) continue;
          heap.push(0, p, dot(query, 0, this.vectors, p * dim, dim));
        }
        continue;
      }
      const r = t.right[node]!;
      const lOk = nodeOk === undefined || nodeOk[l] === 1;
      const rOk = nodeOk === undefined || nodeOk[r] === 1;
      const lb = lOk ? bound(l) : Number.NEGATIVE_INFINITY;
      const rb = rOk ? bound(r) : Number.NEGATIVE_INFINITY;
      // Push the less promising child first so the more promising one is explored first.
      const [first, firstB, second, secondB] = lb >= rb ? [r, rb, l, lb] : [l, lb, r, rb];
      if (firstB !== Number.NEGATIVE_INFINITY) {
        stackNode.push(first);
        stackBound.push(firstB);
      }
      if (secondB !== Number.NEGATIVE_INFINITY) {
        stackNode.push(second);
        stackBound.push(secondB);
      }
    }
    return heap.sorted(0).map(({ ordinal, score }) => ({ index: ordinal, distance: score }));
  }

  private hasLabel(p: number, labelOk: Uint8Array): boolean {
    const t = this.data;
    for (let k = t.pointLabelOffsets[p]!; k < t.pointLabelOffsets[p + 1]!; k++) {
      if (labelOk[t.pointLabelIds[k]!]) return true;
    }
    return false;
  }
}
