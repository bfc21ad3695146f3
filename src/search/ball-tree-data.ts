/**
 * The flat arrays of a conditional ball tree. Node ids grow from the root (0), and children always
 * have larger ids than their parent, so a reverse sweep visits children before parents.
 */
export interface BallTreeData {
  dim: number;
  count: number;
  leafSize: number;
  /** Point ordinals in leaf order: node i holds perm[start[i] .. end[i]). */
  perm: Uint32Array;
  start: Uint32Array;
  end: Uint32Array;
  /** Child node ids, -1 for a leaf. */
  left: Int32Array;
  right: Int32Array;
  /** nodes × dim, each node's mean point (mu). */
  centroids: Float32Array;
  /** Max Euclidean distance from the stored centroid to a point of the node. */
  radii: Float64Array;
  /** Label names; label l is held by the subtrees of nodes labelNodes[labelOffsets[l] .. labelOffsets[l+1]). */
  labelNames: string[];
  labelOffsets: Uint32Array;
  labelNodes: Uint32Array;
  /** Each point's label ids (CSR by ordinal), checked in the leaves. */
  pointLabelOffsets: Uint32Array;
  pointLabelIds: Uint32Array;
}
