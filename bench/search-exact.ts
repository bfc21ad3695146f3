/**
 * Exact search throughput: searchExact (flat Float32Array, 4-way unrolled dot, bounded heap) against
 * a naive baseline (number[][] rows, one-accumulator dot, score everything then sort), same data,
 * same run. Prints queries/s and the ratio. Usage: npx tsx bench/search-exact.ts [count] [dim] [n]
 */
import { argv } from "node:process";
import { searchExact } from "../src/search/search-exact.js";
import type { IndexRecord, VectorIndex } from "../src/vector-index/types.js";

const count = Number(argv[2] ?? 20_000);
const dim = Number(argv[3] ?? 512);
const n = Number(argv[4] ?? 10);

let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) >>> 0;
  return seed / 4_294_967_296 - 0.5;
};

const vectors = new Float32Array(count * dim);
for (let o = 0; o < count; o++) {
  let s = 0;
  for (let i = 0; i < dim; i++) {
    const v = rand();
    vectors[o * dim + i] = v;
    s += v * v;
  }
  for (let i = 0; i < dim; i++) vectors[o * dim + i]! /= Math.sqrt(s);
}
const records: IndexRecord[] = Array.from({ length: count }, (_, o) => ({
  id: `id${o}`,
  image: "",
  facets: { bucket: String(o % 10) },
  meta: {},
}));
const bucket = new Map<string, Uint32Array>();
for (let b = 0; b < 10; b++)
  bucket.set(
    String(b),
    Uint32Array.from({ length: Math.ceil((count - b) / 10) }, (_, i) => i * 10 + b),
  );
const index: VectorIndex = {
  manifest: {
    format: "mosaic-index",
    version: 1,
    createdAt: "",
    model: {
      id: "bench",
      dim,
      preprocess: {
        height: 1,
        width: 1,
        resize: "squash",
        channelOrder: "rgb",
        mean: [0, 0, 0],
        std: [1, 1, 1],
        layout: "nhwc",
      },
    },
    dim,
    count,
    facets: ["bucket"],
    normalized: true,
    files: {},
  },
  dim,
  count,
  vectors,
  records,
  postings: new Map([["bucket", bucket]]),
  recordById: () => undefined,
  ordinalOf: () => undefined,
};
const rows: number[][] = Array.from({ length: count }, (_, o) =>
  Array.from(vectors.subarray(o * dim, (o + 1) * dim)),
);

function naiveSearch(query: number[], topN: number): { id: string; score: number }[] {
  const scored = rows.map((row, o) => {
    let s = 0;
    for (let i = 0; i < row.length; i++) s += row[i]! * query[i]!;
    return { id: records[o]!.id, score: s };
  });
  return scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, topN);
}

const queries = Array.from({ length: 30 }, () => Float32Array.from({ length: dim }, rand));

/**
 * Rate per second of this process's CPU time (user + system), which a busy shared machine distorts far
 * less than wall time does; wall-clock rate printed alongside.
 */
function qps(label: string, run: (q: Float32Array) => unknown): number {
  for (const q of queries.slice(0, 3)) run(q); // warm-up / JIT
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let done = 0;
  while (performance.now() - start < 3000) run(queries[done++ % queries.length]!);
  const cpu = process.cpuUsage(cpu0);
  const wall = (done * 1000) / (performance.now() - start);
  const rate = (done * 1e6) / (cpu.user + cpu.system);
  console.log(
    `${label.padEnd(30)} ${rate.toFixed(1).padStart(8)} queries/cpu-s  (${wall.toFixed(1)}/wall-s)`,
  );
  return rate;
}

// Same top ids from both, or the comparison means nothing.
const a = searchExact(index, queries[0]!, { n }).map((h) => h.id);
const b = naiveSearch(Array.from(queries[0]!), n).map((h) => h.id);
if (a.join() !== b.join()) throw new Error(`results differ: ${a} vs ${b}`);

console.log(`count=${count} dim=${dim} n=${n} (node ${process.version})`);
const naive = qps("naive (number[][], sort all)", (q) => naiveSearch(Array.from(q), n));
const exact = qps("searchExact", (q) => searchExact(index, q, { n }));
const filtered = qps("searchExact, filter 1/10", (q) =>
  searchExact(index, q, { n, filter: { bucket: ["3"] } }),
);
console.log(
  `speed-up: ${(exact / naive).toFixed(2)}x unfiltered; filtered (10% of rows) ${(filtered / naive).toFixed(2)}x`,
);
