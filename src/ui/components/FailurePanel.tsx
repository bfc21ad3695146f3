import { Box, Text } from "ink";
import type { FailureGroup } from "../dashboard-state.js";
import { formatCount, oneLine } from "../format.js";
import { failureExampleText } from "../summary-lines.js";
import { tint } from "../tint.js";

export interface FailurePanelProps {
  failures: readonly FailureGroup[];
  total: number;
  color?: boolean;
}

/** Failures counted by reason code, most frequent first, each with its latest examples. */
export function FailurePanel({ failures, total, color = true }: FailurePanelProps) {
  if (total === 0) {
    return <Text dimColor={color}>Failures none</Text>;
  }
  return (
    <Box flexDirection="column">
      <Text bold color={tint(color, "red")}>
        Failures {formatCount(total)}
      </Text>
      {failures.map((group) => (
        <Box key={group.reason} columnGap={1}>
          <Box width={18} flexShrink={0}>
            <Text>{group.reason}</Text>
          </Box>
          <Box width={6} flexShrink={0} justifyContent="flex-end">
            <Text>{formatCount(group.count)}</Text>
          </Box>
          <Box flexDirection="column" flexShrink={1}>
            {group.examples.map((example) => (
              <Text key={`${example.row}:${example.at}`} dimColor={color} wrap="truncate-end">
                {oneLine(failureExampleText(example))}
              </Text>
            ))}
          </Box>
        </Box>
      ))}
    </Box>
  );
}
