import { createBlobImageReader } from "../blob/blob-image-reader.js";
import { blobAccessFor } from "./blob-index-location.js";
import type { Context } from "./context.js";
import { indexModelOptions } from "./model-options.js";
import { openConfiguredIndex } from "./open-index.js";
import { configureDecoding, decodeImage } from "../images/decode.js";
import { createImageFetcher } from "../images/image-fetcher.js";
import { resolveStoredImage } from "../vector-index/stored-image.js";
import { openIndexModel } from "../model/open-index-model.js";
import { type AppLimits, DEFAULT_LIMITS } from "../server/build-app.js";
import { fileCatalog } from "../server/file-catalog.js";
import { pgCatalog } from "../server/pg-catalog.js";
import type { ServedCatalog } from "../server/served-catalog.js";
import { loggerOptions } from "../server/logger-options.js";
import { openServePanel } from "./open-serve-panel.js";
import { type BatchingSettings, serve } from "../server/serve.js";

export interface ServeRequest {
  host: string;
  port: number;
  /** Host names exempt from the private-address block ("img.intranet", "*.corp.example"). */
  allowHosts?: string[];
  /** Address ranges exempt from it ("10.1.0.0/16"). */
  allowCidrs?: string[];
  modelPath?: string | undefined;
  batching?: Partial<BatchingSettings>;
  limits?: Partial<AppLimits>;
  version?: string;
}

/**
 * `mosaic serve`: loads the index (a directory, a blob prefix, or a postgres:// pgvector table searched in
 * PostgreSQL per request) and its model, then serves until SIGTERM / SIGINT. Image URLs are fetched with
 * the SSRF guard on (no loopback, private, link-local or multicast targets, checked on every redirect hop
 * after DNS), no retries and no disk cache: a client's URL is fetched once.
 */
export async function runServe(ctx: Context, request: ServeRequest): Promise<void> {
  const { catalog, imageDir, close } = await openCatalog(ctx);
  try {
    await serveCatalog(ctx, request, catalog, imageDir);
  } finally {
    await close();
  }
}

/** The served index: a file index with its engine, or a pgvector table (only its redacted URL is shown). */
async function openCatalog(
  ctx: Context,
): Promise<{ catalog: ServedCatalog; imageDir?: string | undefined; close: () => Promise<void> }> {
  // Client image URLs never get storage credentials (see the fetcher below); only the index may be a blob.
  const opened = await openConfiguredIndex(ctx);
  if (opened.kind === "pg") return { catalog: pgCatalog(opened.store), close: opened.close };
  const engine = opened.engine();
  return {
    catalog: fileCatalog(opened.index, (vector, options) => engine.search(vector, options)),
    imageDir: opened.imageDir,
    close: opened.close,
  };
}

async function serveCatalog(
  ctx: Context,
  request: ServeRequest,
  catalog: ServedCatalog,
  imageDir: string | undefined,
): Promise<void> {
  const { config } = ctx;
  const model = await openIndexModel(
    catalog.manifest,
    indexModelOptions(ctx, request.modelPath ?? config.model),
    catalog.transform,
  );
  configureDecoding();
  const maxImageBytes = request.limits?.maxImageBytes ?? config.fetch.maxBytes;
  const guarded = {
    blockPrivate: true,
    allowHosts: request.allowHosts ?? [],
    allowCidrs: request.allowCidrs ?? [],
    timeoutMs: config.fetch.timeoutMs,
    maxBytes: maxImageBytes,
    attempts: 1,
    cacheDir: null,
  };
  const fetcher = createImageFetcher(guarded);
  // The catalog's own images (thumbnails): the same guard and caps, plus blob refs with the index's
  // storage credentials; never used for a client's URL.
  const catalogFetcher = createImageFetcher(guarded, {
    blobReader: createBlobImageReader(blobAccessFor(ctx)),
  });
  // A person at a terminal gets the live panel, and the request logs go to a file under the cache dir.
  const panel = await openServePanel({
    interactive: ctx.interactive,
    stream: ctx.io.stderr,
    env: ctx.io.env,
    color: ctx.color,
    cacheDir: ctx.cacheDir,
    signal: ctx.signal,
  });
  try {
    await serve(
      {
        host: request.host,
        port: request.port,
        apiKey: ctx.io.env.MOSAIC_API_KEY || undefined,
        limits: { maxImageBytes, ...request.limits },
        batching: request.batching,
        version: request.version,
      },
      {
        catalog,
        embedder: model,
        fetchImage: (url, signal) => fetcher.fetch(url, signal),
        // Records hold the catalog's own reference; a relative path is read from the catalog's directory.
        readCatalogImage: (ref, signal) => catalogFetcher.fetch(resolveStoredImage(ref, imageDir), signal),
        // Stricter than featurize's default: a public endpoint should not decode 100-megapixel bombs.
        decodeImage: (buf, spec) =>
          decodeImage(buf, spec, undefined, 0, {
            maxPixels: request.limits?.maxPixels ?? DEFAULT_LIMITS.maxPixels,
          }),
        logger: loggerOptions(panel?.logStream ?? ctx.io.stderr, ctx.verbose ? "debug" : "info"),
        signal: ctx.signal,
        monitor: panel?.monitor,
      },
    );
  } finally {
    await panel?.close();
    fetcher.close();
    catalogFetcher.close();
    await model.close();
  }
}
