import { Box, Text } from "ink";
import { type StageProgress, stageFraction } from "../dashboard-state.js";
import { formatCount, formatEta, formatFraction, formatRate, progressBar } from "../format.js";
import { tint } from "../tint.js";

export interface StageLineProps {
  progress: StageProgress;
  color?: boolean;
  barWidth?: number;
}

/** One pipeline stage: name, bar, processed/total, percent, rate and ETA (or "done"), failures. */
export function StageLine({ progress, color = true, barWidth = 24 }: StageLineProps) {
  const finished = progress.finishedAt !== null;
  const processed = progress.done + progress.failed;
  const total = progress.total === null ? "?" : formatCount(progress.total);
  return (
    <Box columnGap={1}>
      <Box width={8} flexShrink={0}>
        <Text bold>{progress.stage}</Text>
      </Box>
      {progress.startedAt === null ? (
        <Text dimColor={color}>waiting</Text>
      ) : (
        <>
          <Text color={tint(color, finished ? "green" : "cyan")}>
            {progressBar(stageFraction(progress), barWidth)}
          </Text>
          <Text>
            {formatCount(processed)}/{total}
          </Text>
          <Text>{formatFraction(stageFraction(progress))}</Text>
          <Text>{formatRate(progress.rate)}</Text>
          <Text color={tint(color, finished ? "green" : "white")}>
            {finished ? "done" : formatEta(progress.etaSeconds)}
          </Text>
          {progress.failed > 0 ? (
            <Text color={tint(color, "red")}>{formatCount(progress.failed)} failed</Text>
          ) : null}
        </>
      )}
    </Box>
  );
}
