import cors from "@fastify/cors";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { EmbedPort } from "../contracts/ports.js";
import type { VectorIndex } from "../vector-index/types.js";
import type { QueryPorts } from "../query/query.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";
import { redact } from "../redact.js";
import { admissionControl } from "./admission.js";
import { apiKeyGuard } from "./api-key-guard.js";
import { browseRoutes } from "./browse-routes.js";
import { toHttpFailure } from "./http-error.js";
import { createLabelResolver } from "./legacy-label.js";
import { legacyRoutes } from "./legacy-routes.js";
import { opsRoutes } from "./ops-routes.js";
import { fileCatalog } from "./file-catalog.js";
import { createSearch } from "./search-service.js";
import type { ServedCatalog } from "./served-catalog.js";
import { createServerMetrics, type ServerMetrics } from "./server-metrics.js";
import { createThumbnailCache } from "./thumbnail-cache.js";
import { thumbnailRoute } from "./thumbnail-route.js";
import { uiRoutes } from "./ui-routes.js";
import { v1Routes } from "./v1-routes.js";
import { webAssetsDir } from "./web-assets-dir.js";
import { withDefaults } from "./with-defaults.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Answer errors in the original service's shape: `{error}`, 400 for every client fault. */
    legacy?: boolean;
  }
}

/** Size, count and time limits; every one has a default suited to a public endpoint. */
export interface AppLimits {
  /** Largest JSON (or text) body in bytes. */
  bodyLimit: number;
  /** Largest image, uploaded or fetched, in bytes. */
  maxImageBytes: number;
  /** Most results one search may ask for. */
  maxN: number;
  /** Longest one search may take (fetch, decode, queue, embed, search) before a 503. */
  searchTimeoutMs: number;
  /** Longest a client may take to send its request (slow-body defence). */
  requestTimeoutMs: number;
  /** Largest decoded image in pixels, for searches and thumbnails (decompression bombs). */
  maxPixels: number;
  /** Memory kept for thumbnails served by /v1/artworks/:id/image. */
  thumbnailCacheBytes: number;
  /**
   * Searches (uploads, URLs, ids) inside the service at once; the next gets 503 + Retry-After before its
   * body is read. Bounds an admitted search's latency: it waits behind at most this many others.
   */
  maxPending: number;
  /** Longest a client may take to send its request headers (slowloris defence). */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (above load balancers' idle timeouts). */
  keepAliveTimeoutMs: number;
  /** Open connections at once; further ones are closed on accept. */
  maxConnections: number;
}

export const DEFAULT_LIMITS: AppLimits = {
  bodyLimit: 64 * 1024,
  maxImageBytes: 20 * 1024 * 1024,
  maxN: 1000,
  searchTimeoutMs: 30_000,
  requestTimeoutMs: 60_000,
  maxPixels: 40_000_000,
  thumbnailCacheBytes: 64 * 1024 * 1024,
  maxPending: 64,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 72_000,
  maxConnections: 1024,
};

/** The index to serve: a loaded file index (with its engine), or a catalog (a pgvector table). */
export interface ServedIndex {
  index?: VectorIndex | undefined;
  /** The file index's search engine; exact scan when absent. */
  search?: QueryPorts["search"];
  /** Any other store behind the same contract; wins over `index`. */
  catalog?: ServedCatalog | undefined;
}

/** The served index as a catalog. */
export function catalogOf(served: ServedIndex): ServedCatalog {
  if (served.catalog !== undefined) return served.catalog;
  if (served.index === undefined) throw new Error("buildApp/serve: pass an index or a catalog");
  return fileCatalog(served.index, served.search);
}

export interface AppDeps extends ServedIndex {
  /** Shared by all requests; pass the batching embedder so concurrent searches share model calls. */
  embedder: EmbedPort;
  /** Must refuse non-public addresses (the images fetcher with `blockPrivate: true`). */
  fetchImage(url: string, signal: AbortSignal): Promise<Buffer>;
  decodeImage(buf: Buffer, spec: PreprocessSpec): Promise<Float32Array>;
  /**
   * Reads the catalog's own image refs (local path, http(s), blob) for thumbnails, with the fetch rules
   * on. Default: fetchImage (http(s) refs only).
   */
  readCatalogImage?(ref: string, signal: AbortSignal): Promise<Buffer>;
  /** The built web UI served at /ui; default: the one shipped with mosaic (see webAssetsDir). */
  webDir?: string | undefined;
  metrics?: ServerMetrics;
  /** /readyz answers 200 once this is true (index loaded, model warm). Default: always. */
  isReady?(): boolean;
  /** When set, search routes require `x-api-key` equal to it. */
  apiKey?: string | undefined;
  limits?: Partial<AppLimits>;
  /** Fastify logger options (see loggerOptions) or false for silence. */
  logger?: FastifyServerOptions["logger"];
  version?: string;
}

/** Builds the HTTP service without listening, so tests drive it with `app.inject()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const limits = withDefaults(DEFAULT_LIMITS, deps.limits);
  const metrics = deps.metrics ?? createServerMetrics();
  const catalog = catalogOf(deps);
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: limits.bodyLimit,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      // Node rejects a headers timeout above the request timeout.
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      // Node checks both timeouts on this clock (default every 30 s, far coarser than the timeouts).
      connectionsCheckingInterval: Math.max(
        10,
        Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)),
      ),
    },
    requestIdHeader: "x-request-id",
    // During shutdown, requests on kept-alive sockets get 503 and idle sockets are closed.
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });
  app.server.maxConnections = limits.maxConnections;

  await app.register(cors, {
    origin: "*",
    methods: ["GET", "POST", "OPTIONS"],
    allowedHeaders: ["content-type", "x-api-key", "x-request-id"],
    exposedHeaders: ["retry-after", "x-request-id"],
    maxAge: 600,
  });

  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.latency.observe(reply.elapsedTime / 1000, { route });
  });

  app.setErrorHandler(async (error, request, reply) => {
    const failure = toHttpFailure(error);
    if (failure.status >= 500) request.log.error({ err: error }, "request failed");
    else request.log.info({ code: failure.code, message: redact(failure.message) }, "request rejected");
    const legacy = request.routeOptions.config.legacy === true;
    // The original answered 400 to everything; keep the statuses that carry meaning for clients.
    const status = legacy && ![401, 413, 503].includes(failure.status) ? 400 : failure.status;
    await reply
      .code(status)
      .headers(failure.headers)
      // Messages quote the client's image URL: its credentials are not echoed back or logged.
      .send(
        legacy ? { error: redact(failure.message) } : { error: redact(failure.message), code: failure.code },
      );
  });

  app.setNotFoundHandler(async (request, reply) => {
    await reply.code(404).send({
      error: `No route ${request.method} ${redact(request.url.split("?")[0] ?? "")}`,
      code: "not_found",
    });
  });

  await opsRoutes(app, {
    catalog,
    metrics,
    isReady: deps.isReady ?? (() => true),
    version: deps.version ?? "0.0.0",
  });

  const search = createSearch(
    {
      catalog,
      embedder: deps.embedder,
      fetchImage: deps.fetchImage,
      decodeImage: deps.decodeImage,
    },
    { maxImageBytes: limits.maxImageBytes, searchTimeoutMs: limits.searchTimeoutMs },
  );
  const { apiKey } = deps;
  // One encapsulated scope for the data routes, so the API key hook covers exactly them.
  await app.register(async (scope) => {
    if (apiKey) scope.addHook("onRequest", apiKeyGuard(apiKey));
    // After the key check (a stranger's request is 401, never a slot), before any body is read.
    admissionControl(scope, limits.maxPending);
    await legacyRoutes(scope, {
      search,
      resolveLabel: createLabelResolver({ postings: catalog.facetValues }),
      maxN: limits.maxN,
      columns: catalog.manifest.columns,
    });
    await v1Routes(scope, {
      search,
      catalog,
      maxN: limits.maxN,
      maxImageBytes: limits.maxImageBytes,
    });
    await browseRoutes(scope, { catalog });
    await thumbnailRoute(scope, {
      catalog,
      readCatalogImage: deps.readCatalogImage ?? deps.fetchImage,
      cache: createThumbnailCache(limits.thumbnailCacheBytes),
      timeoutMs: limits.searchTimeoutMs,
      maxPixels: limits.maxPixels,
      privateCache: apiKey !== undefined && apiKey !== "",
    });
  });
  await uiRoutes(app, { dir: "webDir" in deps ? deps.webDir : webAssetsDir() });
  return app;
}
