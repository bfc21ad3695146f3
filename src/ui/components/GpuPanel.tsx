import { Box, Text } from "ink";
import type { GpuSample, ProcessSample } from "../../contracts/events.js";
import type { HistoryPoint } from "../dashboard-state.js";
import { formatBytes, formatMemory, formatPercent, formatPower, formatTemperature } from "../format.js";
import { tint } from "../tint.js";
import { Sparkline } from "./Sparkline.js";

export interface GpuPanelGpu {
  sample: GpuSample;
  /** Utilization history for the sparkline, oldest first. */
  history?: readonly HistoryPoint[];
}

export interface GpuPanelProps {
  gpus: readonly GpuPanelGpu[];
  /** Shown instead of GPU lines when there is no GPU. */
  process: ProcessSample | null;
  processHistory?: readonly HistoryPoint[];
  /** Why there is no GPU data, from the probe. */
  note: string | null;
  color?: boolean;
  sparkWidth?: number;
}

/** Per-GPU utilization, memory, temperature and power with a last-minute sparkline; else why not, plus CPU/RSS. */
export function GpuPanel({
  gpus,
  process,
  processHistory = [],
  note,
  color = true,
  sparkWidth = 30,
}: GpuPanelProps) {
  if (gpus.length > 0) {
    return (
      <Box flexDirection="column">
        {gpus.map(({ sample, history = [] }) => (
          <Box key={sample.index} columnGap={1}>
            <Box width={8} flexShrink={0}>
              <Text bold>GPU{sample.index}</Text>
            </Box>
            <Box width={4} flexShrink={0} justifyContent="flex-end">
              <Text>{formatPercent(sample.utilization)}</Text>
            </Box>
            <Sparkline
              values={history.map((p) => p.value)}
              width={sparkWidth}
              color={tint(color, "magenta")}
            />
            <Text>{formatMemory(sample.memoryUsedMiB, sample.memoryTotalMiB)}</Text>
            <Text>{formatTemperature(sample.temperatureC)}</Text>
            <Text>{formatPower(sample.powerW)}</Text>
            <Text dimColor={color} wrap="truncate-end">
              {sample.name}
            </Text>
          </Box>
        ))}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Box columnGap={1}>
        <Box width={8} flexShrink={0}>
          <Text bold>GPU</Text>
        </Box>
        <Text dimColor={color}>{note ?? "waiting for the first sample…"}</Text>
      </Box>
      {process === null ? null : (
        <Box columnGap={1}>
          <Box width={8} flexShrink={0}>
            <Text bold>CPU</Text>
          </Box>
          <Box width={5} flexShrink={0} justifyContent="flex-end">
            <Text>{formatPercent(process.cpuPercent)}</Text>
          </Box>
          <Sparkline
            values={processHistory.map((p) => p.value)}
            max={Math.max(100, ...processHistory.map((p) => p.value).filter(Number.isFinite))}
            width={sparkWidth}
            color={tint(color, "yellow")}
          />
          <Text>RSS {formatBytes(process.rssBytes)}</Text>
        </Box>
      )}
    </Box>
  );
}
