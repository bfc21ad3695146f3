import { Box, Text } from "ink";
import type { FeaturizeSummary } from "../../contracts/events.js";
import { summaryFailures, summaryHeadline, summaryNotes } from "../summary-lines.js";
import { tint } from "../tint.js";

export interface SummaryProps {
  summary: FeaturizeSummary;
  color?: boolean;
}

/** The result of a run: what was indexed where, what failed by reason, and caveats. */
export function Summary({ summary, color = true }: SummaryProps) {
  const failures = summaryFailures(summary);
  return (
    <Box flexDirection="column">
      <Text bold color={tint(color, summary.interrupted ? "yellow" : "green")}>
        {summary.interrupted ? "⚠" : "✔"} {summaryHeadline(summary)}
      </Text>
      {failures === null ? null : <Text color={tint(color, "red")}>{failures}</Text>}
      {summaryNotes(summary).map((note) => (
        <Text key={note} dimColor={color}>
          {note}
        </Text>
      ))}
    </Box>
  );
}
