import type { GpuSample, ProcessSample } from "../featurize/events.js";

/** What the HTTP service's compact panel shows; the server computes it, ServePanel only draws it. */
export interface ServeStats {
  requestsPerSecond: number;
  /** Latency percentiles over the recent window, null before the first request. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Requests waiting for the embedding engine. */
  queueDepth: number;
  gpus: readonly GpuSample[];
  process: ProcessSample | null;
  /** Why there is no GPU data, from the probe. */
  note: string | null;
}
