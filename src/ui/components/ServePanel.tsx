import { Box, Text } from "ink";
import { formatBytes, formatLatency, formatMemory, formatPercent, formatRate } from "../format.js";
import type { ServeStats } from "../serve-stats.js";
import { tint } from "../tint.js";

export interface ServePanelProps {
  stats: ServeStats;
  color?: boolean;
}

/** Compact live view of `mosaic serve`: throughput, latency percentiles, queue and GPU (or CPU). */
export function ServePanel({ stats, color = true }: ServePanelProps) {
  return (
    <Box flexDirection="column">
      <Box columnGap={2}>
        <Text bold>serve</Text>
        <Text>{formatRate(stats.requestsPerSecond).replace("/s", " req/s")}</Text>
        <Text>p50 {formatLatency(stats.p50Ms)}</Text>
        <Text>p99 {formatLatency(stats.p99Ms)}</Text>
        <Text color={tint(color, stats.queueDepth > 0 ? "yellow" : "green")}>queue {stats.queueDepth}</Text>
      </Box>
      {stats.gpus.length > 0 ? (
        stats.gpus.map((gpu) => (
          <Box key={gpu.index} columnGap={2}>
            <Text bold>GPU{gpu.index}</Text>
            <Text>{formatPercent(gpu.utilization)}</Text>
            <Text>{formatMemory(gpu.memoryUsedMiB, gpu.memoryTotalMiB)}</Text>
          </Box>
        ))
      ) : (
        <Box columnGap={2}>
          <Text bold>GPU</Text>
          <Text dimColor={color}>{stats.note ?? "no GPU data yet"}</Text>
          {stats.process === null ? null : (
            <Text>
              CPU {formatPercent(stats.process.cpuPercent)} · RSS {formatBytes(stats.process.rssBytes)}
            </Text>
          )}
        </Box>
      )}
    </Box>
  );
}
