import { createRequire } from "node:module";
import { dot } from "../src/search/dot.js";
import type { Filter, SearchHit, VectorIndex } from "../src/vector-index/types.js";

interface Hnswlib {
  initIndex(max: number, m: number, efConstruction: number, seed: number): void;
  addPoint(point: Float32Array | number[], label: number): void;
  setEf(ef: number): void;
  searchKnn(
    q: Float32Array | number[],
    k: number,
    filter?: (label: number) => boolean,
  ): { neighbors: number[] };
}

/**
 * hnswlib-node (M 16, ef_construction 200, ef 64), the outside reference, over the same rows; a filter is
 * its per-node callback. It is a devDependency whose native build npm does not run (allowScripts): build
 * it with `npm run rebuild --prefix node_modules/hnswlib-node` (needs a C++ toolchain). Undefined when unbuilt.
 */
export function hnswlibEngine(
  index: VectorIndex,
  k: number,
):
  | {
      search: (q: Float32Array, f: Filter | undefined) => { hits: SearchHit[] };
      memory: () => Record<string, number>;
    }
  | undefined {
  let HierarchicalNSW: new (space: string, dim: number) => Hnswlib;
  try {
    ({ HierarchicalNSW } = createRequire(import.meta.url)("hnswlib-node"));
  } catch (error) {
    console.error(`hnswlib-node skipped: ${(error as Error).message.split("\n")[0]}`);
    console.error("  build it with: npm run rebuild --prefix node_modules/hnswlib-node");
    return undefined;
  }
  const { dim, count, vectors } = index;
  const h = new HierarchicalNSW("ip", dim);
  h.initIndex(count, 16, 200, 100);
  for (let o = 0; o < count; o++) h.addPoint(Array.from(vectors.subarray(o * dim, (o + 1) * dim)), o);
  h.setEf(64);
  const allowed = (filter: Filter | undefined) => {
    if (filter === undefined) return undefined;
    const fields = Object.entries(filter);
    return (o: number) => fields.every(([f, vs]) => vs.includes(index.records[o]!.facets[f] ?? ""));
  };
  return {
    search: (q, filter) => {
      const { neighbors } = h.searchKnn(Array.from(q), k, allowed(filter));
      const hits = neighbors.map((o) => ({
        ordinal: o,
        id: index.records[o]!.id,
        score: dot(q, 0, vectors, o * dim, dim),
      }));
      return { hits };
    },
    // hnswlib keeps a float32 copy per row plus 2M level-0 links; its memory is not exposed, so estimate it.
    memory: () => ({ "hnswlib(est)": count * (dim * 4 + 16 * 2 * 4 + 24) }),
  };
}
