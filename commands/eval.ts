import { Command, Option } from "commander";
import { createContext } from "../src/wiring/context.js";
import type { CliIo } from "../src/wiring/io.js";
import { runEval } from "../src/wiring/run-eval.js";
import { positiveInt, reportLine } from "./parse-flags.js";

interface EvalFlags {
  label: string;
  k: number;
  index?: string;
  html?: string;
  htmlImages: "embed" | "link";
}

export function evalCommand(io: CliIo): Command {
  return new Command("eval")
    .description("Leave-one-out precision@k of 'same label' over an index, next to a random ranking")
    .requiredOption(
      "-l, --label <facet>",
      "facet (or metadata column) whose value defines a correct neighbour",
    )
    .option("-k, --k <k>", "neighbours per query", positiveInt, 10)
    .option("-i, --index <dir>", "index directory (default .mosaic/index)")
    .option("--html <file>", "also write per-label precision and example neighbours as an HTML page")
    .addOption(
      new Option(
        "--html-images <how>",
        "with --html: embed small thumbnails, or link images by relative path",
      )
        .choices(["embed", "link"])
        .default("embed"),
    )
    .action(async (flags: EvalFlags, command: Command) => {
      const ctx = await createContext(command.optsWithGlobals(), { index: flags.index }, io);
      try {
        const html = flags.html ? { file: flags.html, images: flags.htmlImages } : undefined;
        const { report, ...result } = await runEval(ctx, { label: flags.label, k: flags.k, html });
        if (report) io.stderr.write(`${reportLine(report, flags.htmlImages)}\n`);
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
