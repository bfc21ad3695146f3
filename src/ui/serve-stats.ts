import type { GpuSample, ProcessSample } from "../contracts/events.js";
import type { MetricsSnapshot } from "../server/server-metrics.js";
import { histogramQuantile } from "./histogram-quantile.js";

/** What the HTTP service's compact panel shows; computeServeStats derives it, ServePanel only draws it. */
export interface ServeStats {
  requestsPerSecond: number;
  /**
   * Latency percentiles of the requests answered in the interval, interpolated inside the latency
   * histogram's buckets (so estimates, as fine as the buckets); null when none were answered.
   */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Requests waiting for the embedding engine. */
  queueDepth: number;
  /** Requests inside a model call now. */
  inFlight: number;
  /** Share of the interval's requests answered 5xx; null when none were answered. */
  errorRate: number | null;
  /** Images per model call over the interval; null when the model wasn't called. */
  meanBatchSize: number | null;
  gpus: readonly GpuSample[];
  process: ProcessSample | null;
  /** Why there is no GPU data, from the probe. */
  note: string | null;
}

/** The latest GPU poller sample, as far as the panel needs it. */
export interface GpuReading {
  gpus: readonly GpuSample[];
  process: ProcessSample | null;
  note: string | null;
}

/**
 * Pure: the stats of the interval between two metric snapshots `elapsedMs` apart. `previous` null
 * means "since the server started" (every count was 0), which also gives whole-run figures. Counts
 * that went down (never, within one process) are read as 0 rather than negative rates.
 */
export function computeServeStats(
  previous: MetricsSnapshot | null,
  next: MetricsSnapshot,
  elapsedMs: number,
  gpu: GpuReading | null = null,
): ServeStats {
  const delta = (now: number, before: number | undefined) => Math.max(0, now - (before ?? 0));
  const requests = delta(next.requests, previous?.requests);
  const errors = Math.min(requests, delta(next.serverErrors, previous?.serverErrors));
  const latencyCount = delta(next.latency.count, previous?.latency.count);
  const cumulative = next.latency.cumulative.map((n, i) => delta(n, previous?.latency.cumulative[i]));
  const quantileMs = (q: number) => {
    const seconds = histogramQuantile(q, next.latency.bounds, cumulative, latencyCount);
    return seconds === null ? null : seconds * 1000;
  };
  const batches = delta(next.batches, previous?.batches);
  const images = delta(next.batchedImages, previous?.batchedImages);
  return {
    requestsPerSecond: elapsedMs > 0 ? (requests * 1000) / elapsedMs : 0,
    p50Ms: quantileMs(0.5),
    p99Ms: quantileMs(0.99),
    queueDepth: next.queueDepth,
    inFlight: next.inFlight,
    errorRate: requests > 0 ? errors / requests : null,
    meanBatchSize: batches > 0 ? images / batches : null,
    gpus: gpu?.gpus ?? [],
    process: gpu?.process ?? null,
    note: gpu?.note ?? null,
  };
}
