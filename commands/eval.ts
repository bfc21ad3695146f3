import { type Command, Option } from "commander";
import type { EvalResult } from "../src/search/eval.js";
import type { CliIo } from "../src/wiring/io.js";
import type { EvalRun } from "../src/wiring/run-eval.js";
import { collect, positiveInt, reportLine } from "./parse-flags.js";
import { withContext } from "./with-context.js";

interface EvalFlags {
  label: string;
  k: number;
  index?: string[];
  excludeSame?: string;
  html?: string;
  htmlImages: "embed" | "link";
}

export function evalCommand(parent: Command, io: CliIo): Command {
  return parent
    .command("eval")
    .description(
      "Leave-one-out precision@k of 'same label' over one or more indexes, next to a random ranking, with the score distribution",
    )
    .requiredOption(
      "-l, --label <facet>",
      "facet (or metadata column) whose value defines a correct neighbour",
    )
    .option("-k, --k <k>", "neighbours per query", positiveInt, 10)
    .option(
      "-i, --index <dir>",
      "index directory (default .mosaic/index); repeat to compare indexes",
      collect,
    )
    .option(
      "--exclude-same <facet>",
      "do not count neighbours sharing the query's value of this facet (e.g. artist)",
    )
    .option(
      "--html <file>",
      "also write per-label precision and example neighbours as an HTML page (first index)",
    )
    .addOption(
      new Option(
        "--html-images <how>",
        "with --html: embed small thumbnails, or link images by relative path",
      )
        .choices(["embed", "link"])
        .default("embed"),
    )
    .action(async (flags: EvalFlags, command: Command) => {
      await withContext(io, command, {}, async (ctx) => {
        const { runEval } = await import("../src/wiring/run-eval.js");
        const runs = await runEval(ctx, {
          label: flags.label,
          k: flags.k,
          excludeSame: flags.excludeSame,
          indexes: flags.index,
          html: flags.html ? { file: flags.html, images: flags.htmlImages } : undefined,
        });
        for (const run of runs)
          if (run.report) io.stderr.write(`${reportLine(run.report, flags.htmlImages)}\n`);
        // One index keeps the result's own fields at the top level (as before comparisons existed).
        const json = runs.map(({ result, report: _, ...rest }) => ({ ...result, ...rest }));
        ctx.out(ctx.json ? JSON.stringify(json.length === 1 ? json[0] : { runs: json }) : formatRuns(runs));
      });
    });
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "–");

function scoreLine(r: EvalResult): string {
  const s = r.scores;
  return `best match ${f3(s.rank1)} · rank ${s.deepRank} ${f3(s.deep)} · random pair ${f3(s.random)} · spread ${f3(s.spread)}`;
}

/** Per-label lines, best first; long label lists show their ends. */
function labelLines(r: EvalResult): string[] {
  const sorted = [...r.perLabel].sort((a, b) => b.precision - a.precision);
  const line = (l: EvalResult["perLabel"][number]) => `    ${f3(l.precision)}  ${l.value} (${l.count})`;
  if (sorted.length <= 40) return sorted.map(line);
  return [
    ...sorted.slice(0, 15).map(line),
    `    … ${sorted.length - 30} more …`,
    ...sorted.slice(-15).map(line),
  ];
}

function formatRun(run: EvalRun): string[] {
  const r = run.result;
  const lift = (r.precision / Math.max(r.randomBaseline, 1e-9)).toFixed(2);
  const excluded = r.excludeSame ? ` (neighbours with the same ${r.excludeSame} not counted)` : "";
  const lines = [
    `index ${run.index} (${run.model}, ${run.dim}-d)`,
    `precision@${r.k} for "${r.label}": ${r.precision.toFixed(3)}${excluded}`,
    `random ranking baseline:      ${r.randomBaseline.toFixed(3)}  (lift ${lift}x)`,
    `scores (median): ${scoreLine(r)}`,
  ];
  if (run.before) {
    lines.push(
      `before the collection-fitted transform (raw ${run.before.dim}-d): precision@${r.k} ${run.before.precision.toFixed(3)}`,
      `  scores (median): ${scoreLine(run.before)}`,
    );
  }
  lines.push(`evaluated ${r.evaluated} artworks, skipped ${r.skipped} without a label`);
  lines.push(`per ${r.label} (precision@${r.k}, items):`, ...labelLines(r));
  return lines;
}

function formatRuns(runs: EvalRun[]): string {
  const blocks = runs.map((run) => formatRun(run).join("\n"));
  if (runs.length > 1) {
    const k = runs[0]!.result.k;
    blocks.push(
      [
        `comparison (precision@${k}, score spread, dim):`,
        ...runs.map(
          (run) =>
            `  ${f3(run.result.precision)}  spread ${f3(run.result.scores.spread)}  ${run.dim}-d  ${run.index}`,
        ),
      ].join("\n"),
    );
  }
  return blocks.join("\n\n");
}
