import { Box, Text } from "ink";
import {
  formatBytes,
  formatLatency,
  formatMemory,
  formatPercent,
  formatRate,
  formatShare,
} from "../format.js";
import type { ServeStats } from "../serve-stats.js";
import { tint } from "../tint.js";

export type ServeStatus = "warming" | "ready" | "stopping" | "stopped";

export interface ServePanelProps {
  stats: ServeStats;
  color?: boolean;
  /** Where the service listens; with it, a status line (url, state, log file) closes the panel. */
  url?: string;
  status?: ServeStatus;
  /** Where the request logs go while the panel owns the terminal. */
  logFile?: string;
}

const STATUS_TEXT: Record<ServeStatus, string> = {
  warming: "warming up the model",
  ready: "ready",
  stopping: "stopping: finishing in-flight requests",
  stopped: "stopped",
};

/** Compact live view of `mosaic serve`: throughput, latency percentiles, queue and GPU (or CPU). */
export function ServePanel({ stats, color = true, url, status = "ready", logFile }: ServePanelProps) {
  return (
    <Box flexDirection="column">
      <Box columnGap={2}>
        <Text bold>serve</Text>
        <Text>{formatRate(stats.requestsPerSecond).replace("/s", " req/s")}</Text>
        <Text>p50 {formatLatency(stats.p50Ms)}</Text>
        <Text>p99 {formatLatency(stats.p99Ms)}</Text>
        <Text color={(stats.errorRate ?? 0) > 0 ? tint(color, "red") : undefined}>
          5xx {formatShare(stats.errorRate)}
        </Text>
        <Text color={tint(color, stats.queueDepth > 0 ? "yellow" : "green")}>queue {stats.queueDepth}</Text>
        <Text>embedding {stats.inFlight}</Text>
        <Text>batch {stats.meanBatchSize === null ? "–" : stats.meanBatchSize.toFixed(1)}</Text>
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
      {url === undefined ? null : (
        <Text dimColor={color}>
          {[url, STATUS_TEXT[status], logFile === undefined ? null : `logs → ${logFile}`]
            .filter((part) => part !== null)
            .join(" · ")}
        </Text>
      )}
    </Box>
  );
}
