import { UsageError } from "../errors.js";
import { compareStrings } from "./compare-strings.js";
import type { Filter } from "./types.js";

/**
 * Facet name → value → the records holding it; only `.length` is read. A file index's postings, or a pgvector
 * table's value counts.
 */
export type FacetValues = ReadonlyMap<string, ReadonlyMap<string, { readonly length: number }>>;

/** A filter value that matches no indexed artwork, with the facet's closest existing values. */
export interface UnmatchedFilterValue {
  field: string;
  value: string;
  /** Up to three existing values of the field, closest first. */
  nearest: string[];
}

export interface ResolvedFilter {
  /** The filter in the index's own spelling (postings keys); undefined when it restricts nothing. */
  filter: Filter | undefined;
  /** Values that match nothing, even ignoring case and accents. */
  unmatched: UnmatchedFilterValue[];
}

const NEAREST = 3;

/**
 * The comparison key of a facet value or field name: case, accents and runs of spaces do not count, so
 * "woodblock  print" finds "Woodblock Print" and "edo" finds "Édo".
 */
export function foldFacetValue(value: string): string {
  return value.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

// Folded value → the index's spellings, per facet; built once per loaded index.
const foldedTables = new WeakMap<FacetValues, Map<string, Map<string, string[]>>>();

function foldedTable(postings: FacetValues, field: string): Map<string, string[]> {
  let byField = foldedTables.get(postings);
  if (!byField) {
    byField = new Map();
    foldedTables.set(postings, byField);
  }
  let table = byField.get(field);
  if (!table) {
    table = new Map();
    for (const value of postings.get(field)?.keys() ?? []) {
      const key = foldFacetValue(value);
      const spellings = table.get(key);
      if (spellings) spellings.push(value);
      else table.set(key, [value]);
    }
    byField.set(field, table);
  }
  return table;
}

/**
 * Maps a user's filter onto the index's own facet names and values, ignoring case and accents (the one
 * place a filter is normalised: CLI, /v1 and the legacy API all pass through query()). A value that
 * matches nothing stays out of the filter (so its field matches nothing) and is listed with the nearest
 * existing values. An unknown field is a UsageError naming the facets.
 */
export function resolveFilter(index: { postings: FacetValues }, filter: Filter | undefined): ResolvedFilter {
  if (filter === undefined || Object.keys(filter).length === 0) return { filter: undefined, unmatched: [] };
  const facets = [...index.postings.keys()];
  const out: Filter = Object.create(null) as Filter;
  const unmatched: UnmatchedFilterValue[] = [];
  for (const [rawField, values] of Object.entries(filter)) {
    const field = index.postings.has(rawField)
      ? rawField
      : facets.find((f) => foldFacetValue(f) === foldFacetValue(rawField));
    if (field === undefined) {
      const known = facets.length > 0 ? facets.join(", ") : "(none)";
      const close = nearestValues(rawField, facets, 1);
      throw new UsageError(
        `Unknown filter field ${JSON.stringify(rawField)}; this index has facets: ${known}`,
        {
          hint:
            close.length > 0
              ? `Did you mean ${close[0]}? Filter on one of those facets, or re-featurize with the field listed under facets.`
              : "Filter on one of those facets, or re-featurize with the field listed under facets.",
        },
      );
    }
    const table = foldedTable(index.postings, field);
    const list = Object.hasOwn(out, field) ? (out[field] as string[]) : [];
    out[field] = list;
    for (const value of values) {
      const spellings = table.get(foldFacetValue(value));
      if (spellings === undefined) {
        const counts = index.postings.get(field);
        unmatched.push({
          field,
          value,
          nearest: nearestValues(
            value,
            [...table.values()].flat(),
            NEAREST,
            (v) => counts?.get(v)?.length ?? 0,
          ),
        });
        continue;
      }
      for (const s of spellings) if (!list.includes(s)) list.push(s);
    }
  }
  return { filter: out, unmatched };
}

/**
 * The `limit` candidates closest to `wanted` (folded): containing it or contained in it first, then by
 * edit distance; ties go to the more common value (`weight`), then code-unit order.
 */
export function nearestValues(
  wanted: string,
  candidates: readonly string[],
  limit: number,
  weight: (value: string) => number = () => 0,
): string[] {
  const w = foldFacetValue(wanted);
  return candidates
    .map((value) => {
      const v = foldFacetValue(value);
      const contains = w !== "" && (v.includes(w) || w.includes(v));
      return { value, distance: contains ? Math.abs(v.length - w.length) / 1000 : editDistance(w, v) };
    })
    .sort(
      (a, b) =>
        a.distance - b.distance || weight(b.value) - weight(a.value) || compareStrings(a.value, b.value),
    )
    .slice(0, limit)
    .map((c) => c.value);
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}
