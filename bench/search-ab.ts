/** Interleaved A/B of searchExact vs the engine's scan on one filter, to separate code cost from machine noise. */
import { searchExactWithMatches } from "../src/index/search-exact.js";
import { createSearchEngine } from "../src/search/create-search-engine.js";
import { syntheticSet } from "./search-data.js";

const N = Number(process.env.BENCH_N ?? 100_000);
const { index, queries } = syntheticSet(N, 256, 256, 100);
const filter = { culture: ["c0"] };
const exact = createSearchEngine(index, { engine: "exact" });
const int8 = createSearchEngine(index, { engine: "exact", quantization: "int8" });
const f16 = createSearchEngine(index, { engine: "exact", quantization: "f16" });
const runs: [string, () => void][] = [
  [
    "searchExact",
    () => {
      for (const q of queries) searchExactWithMatches(index, q, { n: 10, filter });
    },
  ],
  [
    "engine f32",
    () => {
      for (const q of queries) exact.search(q, { n: 10, filter });
    },
  ],
  [
    "engine int8",
    () => {
      for (const q of queries) int8.search(q, { n: 10, filter });
    },
  ],
  [
    "engine f16",
    () => {
      for (const q of queries) f16.search(q, { n: 10, filter });
    },
  ],
  [
    "searchExact nofilter",
    () => {
      for (const q of queries.slice(0, 20)) searchExactWithMatches(index, q, { n: 10 });
    },
  ],
  [
    "engine f32 nofilter",
    () => {
      for (const q of queries.slice(0, 20)) exact.search(q, { n: 10 });
    },
  ],
  [
    "engine int8 nofilter",
    () => {
      for (const q of queries.slice(0, 20)) int8.search(q, { n: 10 });
    },
  ],
];
const best = new Map<string, number>();
for (let round = 0; round < 4; round++) {
  for (const [name, f] of runs) {
    const t = performance.now();
    f();
    const ms = performance.now() - t;
    best.set(name, Math.min(best.get(name) ?? Infinity, ms));
  }
}
for (const [name, ms] of best) console.log(name.padEnd(22), `${ms.toFixed(1)} ms`);
console.log(int8.search(queries[0]!, { n: 10, filter }).plan, int8.search(queries[0]!, { n: 10 }).plan);
