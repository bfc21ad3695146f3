import type { Postings } from "../vector-index/types.js";

/** Each point's labels in CSR form: point p has label ids `ids[offsets[p] .. offsets[p+1])`. */
export interface PointLabels {
  names: string[];
  offsets: Uint32Array;
  ids: Uint32Array;
}

/** Label key for a facet value; the unit separator cannot occur in a facet name from config. */
export function facetLabel(facet: string, value: string): string {
  return `${facet}\u001f${value}`;
}

/** CSR labels from one label list per point (tests and the standalone ball tree API). */
export function pointLabelsFromLists(lists: readonly (readonly string[])[]): PointLabels {
  const names: string[] = [];
  const idOf = new Map<string, number>();
  const offsets = new Uint32Array(lists.length + 1);
  const ids: number[] = [];
  lists.forEach((labels, p) => {
    for (const label of new Set(labels)) {
      let id = idOf.get(label);
      if (id === undefined) {
        id = names.length;
        idOf.set(label, id);
        names.push(label);
      }
      ids.push(id);
    }
    offsets[p + 1] = ids.length;
  });
  return { names, offsets, ids: Uint32Array.from(ids) };
}

/** CSR labels ("facet␟value") for `count` points, straight from an index's postings. */
export function pointLabelsFromPostings(postings: Postings, count: number): PointLabels {
  const names: string[] = [];
  const lists: Uint32Array[] = [];
  for (const [facet, byValue] of postings) {
    for (const [value, ords] of byValue) {
      names.push(facetLabel(facet, value));
      lists.push(ords);
    }
  }
  const offsets = new Uint32Array(count + 1);
  for (const ords of lists) for (const o of ords) if (o < count) offsets[o + 1]!++;
  for (let p = 0; p < count; p++) offsets[p + 1]! += offsets[p]!;
  const ids = new Uint32Array(offsets[count]!);
  const fill = offsets.slice(0, count);
  lists.forEach((ords, id) => {
    for (const o of ords) if (o < count) ids[fill[o]!++] = id;
  });
  return { names, offsets, ids };
}
