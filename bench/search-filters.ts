import { filterCandidates } from "../src/search/filter-candidates.js";
import type { Filter, VectorIndex } from "../src/vector-index/types.js";

export interface BenchFilter {
  label: string;
  filter: Filter | undefined;
  matches: number;
}

/**
 * The bench's filter rows: none, single facet values whose share is nearest 10 %, 1 % and 0.1 %, and the
 * two-value AND (culture × type) nearest 1 %. Picked from the data, so every scale gets the same shape.
 */
export function pickFilters(index: VectorIndex): BenchFilter[] {
  const values: { field: string; value: string; size: number }[] = [];
  for (const [field, byValue] of index.postings)
    for (const [value, list] of byValue) values.push({ field, value, size: list.length });
  const nearest = (share: number, pool = values) =>
    pool.reduce((a, b) =>
      Math.abs(Math.log(b.size / (share * index.count))) < Math.abs(Math.log(a.size / (share * index.count)))
        ? b
        : a,
    );
  const single = (share: number): BenchFilter => {
    const v = nearest(share);
    return { label: `${v.field}=${v.value}`, filter: { [v.field]: [v.value] }, matches: v.size };
  };
  const top = (field: string) =>
    values
      .filter((v) => v.field === field)
      .sort((a, b) => b.size - a.size)
      .slice(0, 6);
  let and: BenchFilter | undefined;
  for (const c of top("culture"))
    for (const t of top("type")) {
      const filter = { culture: [c.value], type: [t.value] };
      const matches = filterCandidates(index, filter)?.length ?? 0;
      const off = Math.abs(Math.log(Math.max(1, matches) / (0.01 * index.count)));
      if (and === undefined || off < Math.abs(Math.log(Math.max(1, and.matches) / (0.01 * index.count))))
        and = { label: `culture=${c.value} AND type=${t.value}`, filter, matches };
    }
  return [
    { label: "none", filter: undefined, matches: index.count },
    single(0.1),
    single(0.01),
    single(0.001),
    ...(and ? [and] : []),
  ];
}
