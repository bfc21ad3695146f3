import type { FastifyServerOptions } from "fastify";
import { MosaicError } from "../errors.js";
import type { EmbedPort } from "../contracts/ports.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";
import { createBatchingEmbedder } from "./batching-embedder.js";
import { type AppDeps, type AppLimits, buildApp, catalogOf, type ServedIndex } from "./build-app.js";
import { createServerMetrics, type MetricsSnapshot } from "./server-metrics.js";
import { type RunningServer, startServer } from "./start-server.js";
import { withDefaults } from "./with-defaults.js";

export interface BatchingSettings {
  maxBatch: number;
  maxWaitMs: number;
  maxQueue: number;
}

export const DEFAULT_BATCHING: BatchingSettings = { maxBatch: 16, maxWaitMs: 5, maxQueue: 256 };

export interface ServeOptions {
  host: string;
  port: number;
  apiKey?: string | undefined;
  limits?: Partial<AppLimits>;
  batching?: Partial<BatchingSettings>;
  /** How long in-flight requests may run on after SIGTERM. */
  graceMs?: number;
  version?: string;
}

/** The index (a file index with its engine, or a catalog such as a pgvector table) and the outside world. */
export interface ServePorts extends ServedIndex {
  /** The model itself; serve wraps it in the batching embedder. */
  embedder: EmbedPort;
  fetchImage(url: string, signal: AbortSignal): Promise<Buffer>;
  decodeImage(buf: Buffer, spec: PreprocessSpec): Promise<Float32Array>;
  readCatalogImage?: AppDeps["readCatalogImage"];
  logger: FastifyServerOptions["logger"];
  /** Fires on SIGTERM / SIGINT: stop accepting, finish in-flight requests, return. */
  signal: AbortSignal;
  /** Told the address once listening (before the model is warm; /readyz says when it is). */
  onListening?(server: RunningServer): void;
  /** A live view of the service (the TTY panel); run-serve passes one only when a person watches. */
  monitor?: ServeMonitor;
}

/** What a live view is told; it samples the metrics on its own clock, and serve never waits for it. */
export interface ServeMonitor {
  /** Listening at `url`; `readMetrics` gives totals since start (see MetricsSnapshot). */
  listening(info: { url: string; artworks: number; readMetrics: () => MetricsSnapshot }): void;
  /** The warm-up run passed: /readyz answers 200 from now on. */
  ready(): void;
}

/**
 * Runs the similarity service until `signal` fires: listens, warms the model with one dummy embed
 * (so the first real request does not pay for lazy initialisation), then reports ready on /readyz.
 */
export async function serve(options: ServeOptions, ports: ServePorts): Promise<void> {
  const metrics = createServerMetrics();
  const batching = withDefaults(DEFAULT_BATCHING, options.batching);
  const embedder = createBatchingEmbedder(ports.embedder, {
    ...batching,
    onBatch: (size) => metrics.batchSize.observe(size),
  });
  metrics.watchEmbedder(embedder);
  let ready = false;
  const catalog = catalogOf(ports);
  const app = await buildApp({
    catalog,
    embedder,
    fetchImage: ports.fetchImage,
    decodeImage: ports.decodeImage,
    readCatalogImage: ports.readCatalogImage,
    metrics,
    isReady: () => ready,
    apiKey: options.apiKey,
    limits: options.limits,
    logger: ports.logger,
    version: options.version,
  });
  const running = await startServer(app, {
    host: options.host,
    port: options.port,
    signal: ports.signal,
    graceMs: options.graceMs,
  });
  ports.onListening?.(running);
  ports.monitor?.listening({
    url: running.url,
    artworks: catalog.count,
    readMetrics: () => metrics.snapshot(),
  });
  try {
    const spec = catalog.manifest.model.preprocess;
    await ports.embedder.embed(new Float32Array(spec.height * spec.width * 3), 1);
    ready = true;
    app.log.info({ url: running.url, artworks: catalog.count }, "ready");
    ports.monitor?.ready();
  } catch (cause) {
    await app.close();
    throw new MosaicError("The model failed its warm-up run; the server was stopped", {
      hint: "Check the model matches the index (same preset / weights as featurize).",
      cause,
    });
  }
  await running.closed;
}
