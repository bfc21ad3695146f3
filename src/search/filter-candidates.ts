import { UsageError } from "../errors.js";
import type { Filter, VectorIndex } from "../vector-index/types.js";

/** True when the filter restricts nothing. */
export function isEmptyFilter(filter: Filter | undefined): boolean {
  return filter === undefined || Object.keys(filter).length === 0;
}

/**
 * The ordinals a filter admits, ascending, or undefined for "all of them". Per field the postings of
 * its values are unioned (a record has one value per field, so the lists are disjoint and a sort of
 * the concatenation is the union); fields are then intersected, smallest first.
 * An unknown field is a UsageError listing the facets; an unknown value simply matches nothing.
 */
export function filterCandidates(index: VectorIndex, filter: Filter | undefined): Uint32Array | undefined {
  if (filter === undefined || isEmptyFilter(filter)) return undefined;
  const perField: Uint32Array[] = [];
  for (const [field, values] of Object.entries(filter)) {
    const byValue = index.postings.get(field);
    if (!byValue) {
      const known = index.manifest.facets.length > 0 ? index.manifest.facets.join(", ") : "(none)";
      throw new UsageError(`Unknown filter field ${JSON.stringify(field)}; this index has facets: ${known}`, {
        hint: "Filter on one of those facets, or re-featurize with the field listed under facets.",
      });
    }
    const lists = [...new Set(values)].map((v) => byValue.get(v)).filter((l) => l !== undefined);
    let total = 0;
    for (const l of lists) total += l.length;
    const union = new Uint32Array(total);
    let at = 0;
    for (const l of lists) {
      union.set(l, at);
      at += l.length;
    }
    if (lists.length > 1) union.sort();
    perField.push(union);
  }
  perField.sort((a, b) => a.length - b.length);
  let result = perField[0]!;
  for (let i = 1; i < perField.length && result.length > 0; i++)
    result = intersectSorted(result, perField[i]!);
  return result;
}

function intersectSorted(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, n);
}
