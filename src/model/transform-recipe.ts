/**
 * A collection-fitted post-processing, declared by a preset and fitted by featurize on the collection's
 * own vectors ("PW"): per block of the raw features, L2 → signed sqrt → L2 → centre → top-k PCA → scale
 * component i by (λᵢ + shrink·mean λ)^(−power) → L2; the blocks are weighted, concatenated and
 * L2-normalized. `dba` then replaces every indexed vector by itself plus its k nearest others, weighted
 * by similarity (database-side augmentation); queries use the whitened vector alone.
 */
export interface TransformRecipe {
  kind: "pw";
  /** Consecutive blocks of the raw vector, in order; their widths sum to the raw width. */
  blocks: readonly { dim: number; k: number; weight: number }[];
  shrink: number;
  power: number;
  dba?: { k: number } | undefined;
}
