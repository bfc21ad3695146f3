import path from "node:path";
import { type EvalResult, evaluatePrecisionAtK } from "../search/eval.js";
import { loadIndex } from "../vector-index/load-index.js";
import type { Context } from "./context.js";
import type { HtmlReportOptions } from "./write-reports.js";

/**
 * `mosaic eval`: load the configured index and run leave-one-out precision@k over it; with `html`, also
 * write the report page (per-label chart, example rows).
 */
export async function runEval(
  ctx: Context,
  options: { label: string; k: number; html?: HtmlReportOptions | undefined },
): Promise<EvalResult & { report?: { file: string; bytes: number } }> {
  const index = await loadIndex(path.resolve(ctx.cwd, ctx.config.index));
  const result = evaluatePrecisionAtK(index, { label: options.label, k: options.k, signal: ctx.signal });
  if (!options.html) return result;
  // Loaded only for --html: sharp and the image fetcher are not needed to count neighbours.
  const { writeEvalReport } = await import("./write-reports.js");
  return { ...result, report: await writeEvalReport(ctx, { index, result }, options.html) };
}
