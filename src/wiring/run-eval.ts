import path from "node:path";
import { type EvalResult, evaluatePrecisionAtK } from "../search/eval.js";
import { loadIndex } from "../vector-index/load-index.js";
import { readRawVectors } from "../vector-index/read-index-files.js";
import type { VectorIndex } from "../vector-index/types.js";
import { vectorIndex } from "../vector-index/vector-index.js";
import type { Context } from "./context.js";
import type { HtmlReportOptions } from "./write-reports.js";

export interface RunEvalOptions {
  label: string;
  k: number;
  excludeSame?: string | undefined;
  /** Index directories to evaluate side by side; default the configured index. */
  indexes?: readonly string[] | undefined;
  /** Also write the report page (per-label chart, example rows) of the first index. */
  html?: HtmlReportOptions | undefined;
}

/** One evaluated index: its model, and for a transformed index the same evaluation of its raw features. */
export interface EvalRun {
  index: string;
  model: string;
  dim: number;
  result: EvalResult;
  /** The raw features (raw.f32) before the collection-fitted transform, when the index has one. */
  before?: EvalResult & { dim: number };
  /** The HTML page written for this index (--html). */
  report?: { file: string; bytes: number };
}

/** Raw rows are compared only up to this size (O(n²·d) over the wider raw vectors). */
const BEFORE_MAX_COUNT = 50_000;

/** `mosaic eval`: leave-one-out precision@k and the score distribution of one or more indexes. */
export async function runEval(ctx: Context, options: RunEvalOptions): Promise<EvalRun[]> {
  const dirs = options.indexes?.length ? options.indexes : [ctx.config.index];
  const runs: EvalRun[] = [];
  for (const dir of dirs) {
    const abs = path.resolve(ctx.cwd, dir);
    const index = await loadIndex(abs);
    const evalOptions = {
      label: options.label,
      k: options.k,
      excludeSame: options.excludeSame,
      signal: ctx.signal,
    };
    const run: EvalRun = {
      index: abs,
      model: index.manifest.model.id,
      dim: index.dim,
      result: evaluatePrecisionAtK(index, evalOptions),
    };
    if (options.html && runs.length === 0) {
      // Loaded only for --html: sharp and the image fetcher are not needed to count neighbours.
      const { writeEvalReport } = await import("./write-reports.js");
      run.report = await writeEvalReport(ctx, { index, indexDir: abs, result: run.result }, options.html);
    }
    if (index.manifest.transform && index.count <= BEFORE_MAX_COUNT) {
      const raw = await rawIndex(abs, index);
      run.before = { ...evaluatePrecisionAtK(raw, evalOptions), dim: raw.dim };
    }
    runs.push(run);
  }
  return runs;
}

/** The same records over raw.f32 (stored L2-normalized), as an index of the model's own features. */
async function rawIndex(dir: string, index: VectorIndex): Promise<VectorIndex> {
  const { manifest } = index;
  const { transform: _, ...plain } = manifest;
  return vectorIndex({
    manifest: { ...plain, version: 1, dim: manifest.model.dim },
    vectors: await readRawVectors(dir, manifest, false),
    records: index.records,
    postings: index.postings,
  });
}
