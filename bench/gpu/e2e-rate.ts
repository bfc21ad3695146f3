/**
 * Reads `mosaic featurize --json` events (stderr) and prints the end-to-end rate two ways: over the whole
 * job, and in steady state (from the first embedded batch to the last), which leaves out model start-up
 * and the first batch's shader compilation. Usage: e2e-rate <events.jsonl>
 */
import { readFileSync } from "node:fs";

const lines = readFileSync(process.argv[2] ?? "/dev/stdin", "utf8").split("\n");
let first: { at: number; done: number } | undefined;
let last: { at: number; done: number } | undefined;
let summary: { indexed: number; seconds: number } | undefined;
for (const line of lines) {
  if (!line.startsWith("{")) continue;
  const e = JSON.parse(line) as {
    type: string;
    stage?: string;
    at: number;
    done?: number;
    summary?: typeof summary;
  };
  if (e.type === "progress" && e.stage === "embed") {
    first ??= { at: e.at, done: e.done ?? 0 };
    last = { at: e.at, done: e.done ?? 0 };
  }
  if (e.type === "done") summary = e.summary;
}
const steady =
  first && last && last.at > first.at ? ((last.done - first.done) * 1000) / (last.at - first.at) : 0;
const overall = summary ? summary.indexed / summary.seconds : 0;
console.log(
  JSON.stringify({
    indexed: summary?.indexed ?? 0,
    overall: Math.round(overall),
    steady: Math.round(steady),
  }),
);
