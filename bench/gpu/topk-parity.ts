/**
 * Parity of two indexes built from the same catalog on different devices (e.g. CPU vs CUDA): per-row
 * cosine between their vectors (min and median) and, for every row used as a query against its own index,
 * whether the top-10 ids agree. Reads the index format directly (src/index/FORMAT.md), so it runs from a
 * bundle with nothing else. Usage: topk-parity <index-a> <index-b> [k]
 * Prints one JSON line: {"rows","cosineMin","cosineMedian","top10Identical","top10Overlap"}.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

interface Loaded {
  ids: string[];
  dim: number;
  vectors: Float32Array;
}

function load(dir: string): Loaded {
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as { dim: number };
  const bytes = readFileSync(path.join(dir, "vectors.f32"));
  const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const ids = readFileSync(path.join(dir, "records.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => String((JSON.parse(line) as { id: unknown }).id));
  return { ids, dim: manifest.dim, vectors };
}

function dot(v: Float32Array, i: number, w: Float32Array, j: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += (v[i * dim + d] as number) * (w[j * dim + d] as number);
  return s;
}

function topK(index: Loaded, query: number, k: number): string[] {
  const n = index.ids.length;
  const scored = Array.from({ length: n }, (_, j) => ({
    id: index.ids[j] as string,
    score: dot(index.vectors, query, index.vectors, j, index.dim),
  }));
  scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return scored.slice(0, k).map((s) => s.id);
}

const [dirA, dirB, kArg = "10"] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error("usage: topk-parity <index-a> <index-b> [k]");
const k = Number(kArg);
const a = load(dirA);
const b = load(dirB);
if (a.dim !== b.dim) throw new Error(`dims differ: ${a.dim} vs ${b.dim}`);
const rowOfB = new Map(b.ids.map((id, i) => [id, i]));
const cosines: number[] = [];
let identical = 0;
let overlap = 0;
for (let i = 0; i < a.ids.length; i++) {
  const j = rowOfB.get(a.ids[i] as string);
  if (j === undefined) continue;
  const cos =
    dot(a.vectors, i, b.vectors, j, a.dim) /
    Math.sqrt(dot(a.vectors, i, a.vectors, i, a.dim) * dot(b.vectors, j, b.vectors, j, b.dim));
  cosines.push(cos);
  const ta = topK(a, i, k);
  const tb = topK(b, j, k);
  if (ta.join() === tb.join()) identical++;
  const inB = new Set(tb);
  overlap += ta.filter((id) => inB.has(id)).length / k;
}
cosines.sort((x, y) => x - y);
console.log(
  JSON.stringify({
    rows: cosines.length,
    cosineMin: Number((cosines[0] ?? 0).toFixed(6)),
    cosineMedian: Number((cosines[Math.floor(cosines.length / 2)] ?? 0).toFixed(6)),
    top10Identical: `${identical}/${cosines.length}`,
    top10Overlap: Number((overlap / Math.max(1, cosines.length)).toFixed(4)),
  }),
);
