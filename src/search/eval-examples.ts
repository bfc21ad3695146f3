import type { VectorIndex } from "../vector-index/types.js";
import { searchExact } from "./search-exact.js";

export interface EvalExampleNeighbourRow {
  ordinal: number;
  score: number;
  label: string;
  correct: boolean;
}

export interface EvalExampleRow {
  ordinal: number;
  label: string;
  neighbours: EvalExampleNeighbourRow[];
}

/** The label eval compares: the facet of that name, else the metadata column ("" when absent). */
function labelOf(index: VectorIndex, ordinal: number, label: string): string {
  const r = index.records[ordinal]!;
  if (Object.hasOwn(r.facets, label)) return r.facets[label] ?? "";
  return Object.hasOwn(r.meta, label) ? (r.meta[label] ?? "") : "";
}

/**
 * A few rows to look at next to eval's numbers: for each of the `rows` commonest labels, its first
 * artwork (by index order, so reruns show the same rows) and that artwork's k nearest others, each marked
 * right or wrong by label, exactly as eval counts them (leave-one-out exact search).
 */
export function evalExamples(
  index: VectorIndex,
  options: { label: string; k: number; rows: number },
): EvalExampleRow[] {
  const first = new Map<string, { ordinal: number; count: number }>();
  for (let o = 0; o < index.count; o++) {
    const value = labelOf(index, o, options.label);
    if (value === "") continue;
    const seen = first.get(value);
    if (seen) seen.count++;
    else first.set(value, { ordinal: o, count: 1 });
  }
  const k = Math.min(options.k, index.count - 1);
  return [...first]
    .sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, options.rows)
    .map(([value, { ordinal }]) => {
      const vector = index.vectors.subarray(ordinal * index.dim, (ordinal + 1) * index.dim);
      const hits = searchExact(index, vector, { n: k, excludeOrdinal: ordinal });
      return {
        ordinal,
        label: value,
        neighbours: hits.map((hit) => {
          const label = labelOf(index, hit.ordinal, options.label);
          return { ordinal: hit.ordinal, score: hit.score, label, correct: label === value };
        }),
      };
    });
}
