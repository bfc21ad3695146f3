import type { FailureReason, FeaturizeSummary } from "../contracts/events.js";
import type { FailureGroup } from "./dashboard-state.js";
import { formatCount, formatDuration } from "./format.js";

/** The headline of a finished run, e.g. "Indexed 480 of 500 rows in 1m 02s → ./out". */
export function summaryHeadline(summary: FeaturizeSummary): string {
  const verb = summary.dryRun ? "Would index" : summary.interrupted ? "Embedded" : "Indexed";
  const where = summary.outDir !== null && !summary.dryRun ? ` → ${summary.outDir}` : "";
  const kept = summary.alreadyIndexed ? ` (${formatCount(summary.alreadyIndexed)} already indexed)` : "";
  const head = `${verb} ${formatCount(summary.indexed)} of ${formatCount(summary.rowsRead)} rows${kept} in ${formatDuration(summary.seconds)}${where}`;
  return summary.interrupted ? `Interrupted: ${head[0]?.toLowerCase()}${head.slice(1)}` : head;
}

/** "20 failed: http_404 12, timeout 8" or null when nothing failed. Most frequent reason first. */
export function summaryFailures(summary: FeaturizeSummary): string | null {
  if (summary.failed === 0) return null;
  const reasons = (Object.entries(summary.failuresByReason) as [FailureReason, number][])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${reason} ${formatCount(n)}`);
  return `${formatCount(summary.failed)} failed${reasons.length > 0 ? `: ${reasons.join(", ")}` : ""}`;
}

/** "row 17 (id abc): HTTP 404 Not Found" — how every reporter shows one failed item. */
export function failureExampleText(example: FailureGroup["examples"][number]): string {
  const id = example.id === undefined ? "" : ` (id ${example.id})`;
  return `row ${example.row}${id}: ${example.message}`;
}

/** Notes that qualify the result; each is its own line. */
export function summaryNotes(summary: FeaturizeSummary): string[] {
  const notes: string[] = [];
  if (summary.dryRun) notes.push("Dry run: nothing was written.");
  if (summary.interrupted)
    notes.push(
      "Stopped early: nothing was written and the previous index is unchanged; downloads are cached, so a re-run catches up fast.",
    );
  return notes;
}

/** The whole summary as plain lines (no colour, no symbols): headline, failures by reason, notes. */
export function formatSummary(summary: FeaturizeSummary): string[] {
  const failures = summaryFailures(summary);
  return [summaryHeadline(summary), ...(failures === null ? [] : [failures]), ...summaryNotes(summary)];
}
