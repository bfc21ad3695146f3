import path from "node:path";
import type { Context } from "./context.js";
import { type EvalResult, evaluatePrecisionAtK } from "../search/eval.js";
import { loadIndex } from "../vector-index/load-index.js";

/** `mosaic eval`: load the configured index and run leave-one-out precision@k over it. */
export async function runEval(ctx: Context, options: { label: string; k: number }): Promise<EvalResult> {
  const index = await loadIndex(path.resolve(ctx.cwd, ctx.config.index));
  return evaluatePrecisionAtK(index, { ...options, signal: ctx.signal });
}
