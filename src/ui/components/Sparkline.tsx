import { Text } from "ink";
import { sparklineText } from "../sparkline-text.js";

export interface SparklineProps {
  values: readonly number[];
  /** Value drawn as a full block (default 100, for percentages). */
  max?: number;
  /** Most characters drawn; longer series are averaged down. */
  width?: number;
  color?: string | undefined;
}

/** A row of ▁▂▃▄▅▆▇█ blocks, oldest value on the left. */
export function Sparkline({ values, max = 100, width = 30, color }: SparklineProps) {
  return <Text color={color}>{sparklineText(values, { max, width })}</Text>;
}
