import type { ServeMonitor } from "../server/serve.js";
import type { MetricsSnapshot } from "../server/server-metrics.js";
import { ServePanel, type ServeStatus } from "./components/ServePanel.js";
import { createInkMount } from "./ink-mount.js";
import { formatCount, formatDuration, formatLatency, formatShare } from "./format.js";
import { computeServeStats, type GpuReading, type ServeStats } from "./serve-stats.js";
import { colorEnabled, type Env } from "./terminal-env.js";
import type { TextStream } from "./text-stream.js";

export interface ServePanelReporterOptions {
  env?: Env;
  /** Overrides colour detection from env (--no-color). */
  color?: boolean;
  /** Milliseconds clock; the rates are per this clock's seconds. */
  now?: () => number;
  /** Time between frames, and so the window the rates and percentiles cover. */
  intervalMs?: number;
  /** Where the request logs go meanwhile; named in the panel and the final line. */
  logFile?: string;
}

/** The serve panel as serve (ServeMonitor) and run-serve (GPU samples, shutdown) drive it. */
export interface ServePanelReporter extends ServeMonitor {
  /** The latest GPU (or process) sample; it shows with the next frame. */
  gpu(reading: GpuReading): void;
  /** Shutdown began: say so at once, and keep counting while in-flight requests finish. */
  stopping(): void;
  /** Draws the last frame, unmounts and leaves one line summing up the run. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Live Ink panel for `mosaic serve` on `stream` (stderr). It mounts when the server listens and then,
 * once every `intervalMs`, reads the metrics, derives the interval's ServeStats and re-renders; the
 * component only draws props. The frame timer is unref'd so it never holds the process open.
 */
export function createServePanelReporter(
  stream: TextStream,
  options: ServePanelReporterOptions = {},
): ServePanelReporter {
  const color = options.color ?? colorEnabled(options.env ?? {});
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 1000;
  const ink = createInkMount(stream);
  let timer: NodeJS.Timeout | null = null;
  let readMetrics: (() => MetricsSnapshot) | null = null;
  let url = "";
  let status: ServeStatus = "warming";
  let startedAt = 0;
  let last: { at: number; snapshot: MetricsSnapshot } | null = null;
  let gpu: GpuReading | null = null;
  let stats: ServeStats | null = null;

  const draw = () => {
    if (stats === null) return;
    ink.show(<ServePanel stats={stats} color={color} url={url} status={status} logFile={options.logFile} />);
  };

  const sample = () => {
    if (readMetrics === null) return;
    const at = now();
    const snapshot = readMetrics();
    stats = computeServeStats(last?.snapshot ?? null, snapshot, last === null ? 0 : at - last.at, gpu);
    last = { at, snapshot };
  };

  const tick = () => {
    sample();
    draw();
  };

  return {
    listening(info) {
      if (readMetrics !== null) return;
      readMetrics = info.readMetrics;
      url = info.url;
      startedAt = now();
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    ready() {
      if (status === "warming") status = "ready";
      draw();
    },
    gpu(reading) {
      gpu = reading;
      if (stats !== null)
        stats = { ...stats, gpus: reading.gpus, process: reading.process, note: reading.note };
    },
    stopping() {
      status = "stopping";
      draw();
    },
    async close() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      if (!ink.mounted || readMetrics === null) return;
      status = "stopped";
      tick();
      await ink.unmount();
      const seconds = (now() - startedAt) / 1000;
      stream.write(`${serveSummaryLine(readMetrics(), seconds, options.logFile)}\n`);
    },
  };
}

/** The line left on the terminal after the panel goes: whole-run totals and where the logs are. */
export function serveSummaryLine(snapshot: MetricsSnapshot, seconds: number, logFile?: string): string {
  const run = computeServeStats(null, snapshot, seconds * 1000);
  const parts = [
    `Served ${formatCount(snapshot.requests)} request${snapshot.requests === 1 ? "" : "s"} in ${formatDuration(seconds)}`,
  ];
  if (snapshot.requests > 0) {
    parts.push(
      `p50 ${formatLatency(run.p50Ms)}`,
      `p99 ${formatLatency(run.p99Ms)}`,
      `5xx ${formatShare(run.errorRate)}`,
    );
  }
  if (logFile !== undefined) parts.push(`logs in ${logFile}`);
  return parts.join(" · ");
}
