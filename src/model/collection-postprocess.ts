import type { IndexPostprocess, PostprocessBase, PostprocessResult } from "../vector-index/index-writer.js";
import type { StoredTransform, TransformHeader } from "../vector-index/types.js";
import { applyTransform, type FittedTransform, fitTransform } from "./collection-transform.js";
import { dbaAll, dbaAppend } from "./dba.js";
import type { TransformRecipe } from "./transform-recipe.js";

/** The parameters of a fit as transform.f32 lays them out: per block, mean then projection rows. */
export function storeTransform(
  fit: FittedTransform,
  dba: { k: number } | undefined,
  source: string,
): StoredTransform {
  const header: TransformHeader = {
    version: 1,
    kind: "pw",
    inDim: fit.inDim,
    outDim: fit.outDim,
    shrink: fit.shrink,
    power: fit.power,
    blocks: fit.blocks.map((b) => ({ inDim: b.inDim, k: b.k, weight: b.weight })),
    dba: dba ? { k: dba.k } : null,
    fittedOn: fit.fittedOn,
    source,
  };
  const params = new Float32Array(fit.blocks.reduce((s, b) => s + b.inDim * (1 + b.k), 0));
  let at = 0;
  for (const b of fit.blocks) {
    params.set(b.mean, at);
    params.set(b.proj, at + b.inDim);
    at += b.inDim * (1 + b.k);
  }
  return { header, params };
}

/** The inverse of {@link storeTransform} (views into `params`, no copy). */
export function loadTransform(stored: StoredTransform): FittedTransform {
  const { header, params } = stored;
  let at = 0;
  const blocks = header.blocks.map((b) => {
    const mean = params.subarray(at, at + b.inDim);
    const proj = params.subarray(at + b.inDim, at + b.inDim * (1 + b.k));
    at += b.inDim * (1 + b.k);
    return { ...b, mean, proj };
  });
  return {
    kind: header.kind,
    inDim: header.inDim,
    outDim: header.outDim,
    shrink: header.shrink,
    power: header.power,
    fittedOn: header.fittedOn,
    blocks,
  };
}

export interface CollectionPostprocessOptions {
  /**
   * A fixed transform to apply instead of fitting (merge --keep-fit: the first input's).
   * Appends always use the base index's own stored transform.
   */
  fixed?: StoredTransform | undefined;
  /** Progress lines for people (fit and DBA times, refit advice). */
  onNote?: ((text: string) => void) | undefined;
  now?: () => number;
}

/** The recipe a stored transform was fitted from (a refit repeats it on the current rows). */
export function recipeOf(h: TransformHeader): TransformRecipe {
  return {
    kind: h.kind,
    blocks: h.blocks.map((b) => ({ dim: b.inDim, k: b.k, weight: b.weight })),
    shrink: h.shrink,
    power: h.power,
    dba: h.dba ?? undefined,
  };
}

/** An appended index whose transform was fitted on less than this share of its rows should be refitted. */
export const REFIT_BELOW_SHARE = 0.5;

/**
 * The index writer's post-processing for a transform recipe: fit on the collection (or use the stored /
 * given fit), whiten every raw row, then DBA. An append reuses the base's fit and recomputes DBA only
 * for the new rows and the old rows they displace.
 */
export function collectionPostprocess(
  recipe: TransformRecipe,
  options: CollectionPostprocessOptions = {},
): IndexPostprocess {
  const now = options.now ?? (() => performance.now());
  const note = options.onNote ?? (() => undefined);
  return {
    finish({ raw, count, base }): PostprocessResult {
      let stored: StoredTransform;
      if (base) stored = base.transform;
      else if (options.fixed) stored = options.fixed;
      else {
        const t0 = now();
        stored = storeTransform(fitTransform(recipe, raw, count), recipe.dba, "collection");
        note(
          `Fitted the ${stored.header.inDim}→${stored.header.outDim} transform on ${count} rows in ${((now() - t0) / 1000).toFixed(1)} s`,
        );
      }
      const fit = loadTransform(stored);
      const whitened = applyTransform(fit, raw, count);
      const result = augment(stored, whitened, count, base, now, note);
      const share = stored.header.fittedOn / Math.max(count, 1);
      if (share < REFIT_BELOW_SHARE) {
        note(
          `The transform was fitted on ${stored.header.fittedOn} of ${count} rows; a refit would fit this collection better: \`mosaic index merge --refit <index> <index>\``,
        );
      }
      return result;
    },
  };
}

function augment(
  stored: StoredTransform,
  whitened: Float32Array,
  count: number,
  base: PostprocessBase | undefined,
  now: () => number,
  note: (text: string) => void,
): PostprocessResult {
  const dba = stored.header.dba;
  const dim = stored.header.outDim;
  if (!dba) return { vectors: whitened, transform: stored };
  const t0 = now();
  if (base?.kth) {
    const r = dbaAppend(whitened, count, dim, dba.k, {
      count: base.count,
      vectors: base.vectors,
      kth: base.kth,
    });
    note(
      `Database-side augmentation: ${count - base.count} new rows and ${r.changed} existing neighbours updated in ${((now() - t0) / 1000).toFixed(1)} s`,
    );
    return { vectors: r.vectors, transform: stored, kth: r.kth };
  }
  const r = dbaAll(whitened, count, dim, dba.k);
  note(`Database-side augmentation over ${count} rows in ${((now() - t0) / 1000).toFixed(1)} s`);
  return { vectors: r.vectors, transform: stored, kth: r.kth };
}
