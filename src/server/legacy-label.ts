import { foldFacetValue } from "../vector-index/resolve-filter.js";
import type { FacetValues } from "../vector-index/resolve-filter.js";
import type { Filter } from "../vector-index/types.js";

/** Facets the original service had a conditional index for, tried first and in this order. */
const PREFERRED = ["culture", "classification"];

/**
 * The original service's `query` label: one word that is a culture or a classification. Returns a
 * resolver from label to filter on the facet holding that value (exact match first, then ignoring
 * case and accents, as the original's labels were lower-case); an unknown or empty label means no filter.
 */
export function createLabelResolver(index: {
  postings: FacetValues;
}): (label: string | undefined) => Filter | undefined {
  const facets = [
    ...PREFERRED.filter((f) => index.postings.has(f)),
    ...[...index.postings.keys()].filter((f) => !PREFERRED.includes(f)),
  ];
  const exact = new Map<string, Filter>();
  const folded = new Map<string, Filter>();
  for (const facet of facets) {
    for (const value of index.postings.get(facet)?.keys() ?? []) {
      if (!exact.has(value)) exact.set(value, { [facet]: [value] });
      const key = foldFacetValue(value);
      const existing = folded.get(key);
      // Folded, a label may name several spellings in one facet: keep them all (OR).
      if (!existing) folded.set(key, { [facet]: [value] });
      else if (existing[facet]) existing[facet].push(value);
    }
  }
  return (label) => {
    if (label === undefined || label.trim() === "") return undefined;
    const trimmed = label.trim();
    return exact.get(trimmed) ?? folded.get(foldFacetValue(trimmed));
  };
}
