import { UsageError } from "../errors.js";
import { compareStrings } from "./compare-strings.js";
import type { FacetValues } from "./resolve-filter.js";
import type { IndexManifest } from "./types.js";

/** A facet's values with how many records have each, most common first (then by value). */
export function facetValues(
  index: { postings: FacetValues; manifest: Pick<IndexManifest, "facets"> },
  field: string,
): { value: string; count: number }[] {
  const byValue = index.postings.get(field);
  if (!byValue) {
    throw new UsageError(
      `Unknown facet ${JSON.stringify(field)}; this index has: ${index.manifest.facets.join(", ") || "(none)"}`,
    );
  }
  return [...byValue]
    .map(([value, ords]) => ({ value, count: ords.length }))
    .sort((a, b) => b.count - a.count || compareStrings(a.value, b.value));
}
