import { type Counter, type Histogram, MetricsRegistry } from "./metrics-registry.js";

/** The service's metrics; the app records requests, the batching embedder reports batch sizes. */
export interface ServerMetrics {
  requests: Counter;
  latency: Histogram;
  batchSize: Histogram;
  /** Adds the queue-depth gauge once the embedder exists (it is built after the metrics). */
  watchQueue(read: () => number): void;
  render(): string;
  readonly contentType: string;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128];

export function createServerMetrics(): ServerMetrics {
  const registry = new MetricsRegistry();
  let readQueue = () => 0;
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
  registry.gauge("mosaic_embed_queue_depth", "Requests waiting for the model.", () => readQueue());
  return {
    requests,
    latency,
    batchSize,
    watchQueue(read) {
      readQueue = read;
    },
    render: () => registry.render(),
    contentType: "text/plain; version=0.0.4; charset=utf-8",
  };
}
