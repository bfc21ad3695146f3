import { type Counter, type Histogram, type HistogramTotals, MetricsRegistry } from "./metrics-registry.js";

/** The service's metrics; the app records requests, the batching embedder reports batch sizes. */
export interface ServerMetrics {
  requests: Counter;
  latency: Histogram;
  batchSize: Histogram;
  /** Adds the queue-depth gauge and the in-model count once the embedder exists (it is built after the metrics). */
  watchEmbedder(embedder: EmbedderGauges): void;
  /** Totals so far, for the live panel; two snapshots apart in time give rates. */
  snapshot(): MetricsSnapshot;
  render(): string;
  readonly contentType: string;
}

/** What the metrics read from the batching embedder. */
export interface EmbedderGauges {
  readonly queueDepth: number;
  readonly inFlight: number;
}

/** Cumulative counts since the server started, plus the gauges as they are now. */
export interface MetricsSnapshot {
  /** Requests answered, probes and scrapes (OPS_ROUTES) left out so a busy Prometheus doesn't read as traffic. */
  requests: number;
  /** Of those, answered with a 5xx status (503 from load shedding included). */
  serverErrors: number;
  /** Latency of those requests, in seconds. */
  latency: HistogramTotals;
  /** Model calls, and the images they carried. */
  batches: number;
  batchedImages: number;
  /** Requests waiting for a model call. */
  queueDepth: number;
  /** Requests inside a model call. */
  inFlight: number;
}

/** Probe, scrape and spec routes: not the traffic a person watching the panel cares about. */
export const OPS_ROUTES: ReadonlySet<string> = new Set(["/healthz", "/readyz", "/metrics", "/openapi.json"]);

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128];

export function createServerMetrics(): ServerMetrics {
  const registry = new MetricsRegistry();
  let embedder: EmbedderGauges = { queueDepth: 0, inFlight: 0 };
  const requests = registry.counter(
    "mosaic_http_requests_total",
    "HTTP requests by route, method and status.",
  );
  const latency = registry.histogram(
    "mosaic_http_request_duration_seconds",
    "HTTP request latency by route.",
    LATENCY_BUCKETS,
  );
  const batchSize = registry.histogram("mosaic_model_batch_size", "Images per model call.", BATCH_BUCKETS);
  registry.gauge("mosaic_embed_queue_depth", "Requests waiting for the model.", () => embedder.queueDepth);
  const traffic = (labels: Record<string, string>) => !OPS_ROUTES.has(labels.route ?? "");
  return {
    requests,
    latency,
    batchSize,
    watchEmbedder(watched) {
      embedder = watched;
    },
    snapshot() {
      let count = 0;
      let serverErrors = 0;
      for (const { labels, value } of requests.series()) {
        if (!traffic(labels)) continue;
        count += value;
        if (Number(labels.status) >= 500) serverErrors += value;
      }
      const batches = batchSize.totals();
      return {
        requests: count,
        serverErrors,
        latency: latency.totals(traffic),
        batches: batches.count,
        batchedImages: batches.sum,
        queueDepth: embedder.queueDepth,
        inFlight: embedder.inFlight,
      };
    },
    render: () => registry.render(),
    contentType: "text/plain; version=0.0.4; charset=utf-8",
  };
}
