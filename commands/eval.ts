import { Command } from "commander";
import { createContext } from "../src/wiring/context.js";
import { runEval } from "../src/wiring/run-eval.js";
import type { CliIo } from "../src/wiring/io.js";
import { positiveInt } from "./parse-flags.js";

export function evalCommand(io: CliIo): Command {
  return new Command("eval")
    .description("Leave-one-out precision@k of 'same label' over an index, next to a random ranking")
    .requiredOption(
      "-l, --label <facet>",
      "facet (or metadata column) whose value defines a correct neighbour",
    )
    .option("-k, --k <k>", "neighbours per query", positiveInt, 10)
    .option("-i, --index <dir>", "index directory (default .mosaic/index)")
    .action(async (flags: { label: string; k: number; index?: string }, command: Command) => {
      const ctx = await createContext(command.optsWithGlobals(), { index: flags.index }, io);
      try {
        const result = await runEval(ctx, { label: flags.label, k: flags.k });
        ctx.out(
          ctx.json
            ? JSON.stringify(result)
            : [
                `precision@${result.k} for "${result.label}": ${result.precision.toFixed(3)}`,
                `random ranking baseline:      ${result.randomBaseline.toFixed(3)}  (lift ${(result.precision / Math.max(result.randomBaseline, 1e-9)).toFixed(2)}x)`,
                `evaluated ${result.evaluated} artworks, skipped ${result.skipped} without a label`,
              ].join("\n"),
        );
      } finally {
        await ctx.reporter.close();
      }
    });
}
