import { createBlobImageReader } from "../blob/blob-image-reader.js";
import { blobAccessFor, resolveIndexDir } from "../blob/blob-index-location.js";
import type { Context } from "../context.js";
import { configureDecoding, decodeImage } from "../images/decode.js";
import { createImageFetcher } from "../images/image-fetcher.js";
import { loadIndex } from "../index/load-index.js";
import { openIndexModel } from "../model/open-index-model.js";
import { openEngine } from "../search/open-engine.js";
import { type AppLimits, DEFAULT_LIMITS } from "./build-app.js";
import { loggerOptions } from "./logger-options.js";
import { openServePanel } from "./open-serve-panel.js";
import { type BatchingSettings, serve } from "./serve.js";

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
 * `mosaic serve`: loads the index and its model, then serves until SIGTERM / SIGINT. Image URLs are
 * fetched with the SSRF guard on (no loopback, private, link-local or multicast targets, checked on
 * every redirect hop after DNS), no retries and no disk cache: a client's URL is fetched once.
 */
export async function runServe(ctx: Context, request: ServeRequest): Promise<void> {
  const { config } = ctx;
  // Client image URLs never get storage credentials (see the fetcher below); only the index may be a blob.
  const indexDir = await resolveIndexDir(ctx);
  const index = await loadIndex(indexDir);
  const engine = openEngine(index, indexDir, config.engine, (text) => ctx.reporter.note?.(text));
  const model = await openIndexModel(index.manifest, {
    model: request.modelPath ?? config.model,
    modelPreset: config.modelPreset,
    preprocess: config.preprocess,
    cacheDir: ctx.cacheDir,
    threads: config.threads,
    reporter: ctx.reporter,
    device: config.device,
    precision: config.precision,
  });
  configureDecoding();
  const maxImageBytes = request.limits?.maxImageBytes ?? config.fetch.maxBytes;
  const fetcher = createImageFetcher({
    blockPrivate: true,
    allowHosts: request.allowHosts ?? [],
    allowCidrs: request.allowCidrs ?? [],
    timeoutMs: config.fetch.timeoutMs,
    maxBytes: maxImageBytes,
    attempts: 1,
    cacheDir: null,
  });
  // The catalog's own images (thumbnails): the same guard and caps, plus blob refs with the index's
  // storage credentials; never used for a client's URL.
  const catalogFetcher = createImageFetcher(
    {
      blockPrivate: true,
      allowHosts: request.allowHosts ?? [],
      allowCidrs: request.allowCidrs ?? [],
      timeoutMs: config.fetch.timeoutMs,
      maxBytes: maxImageBytes,
      attempts: 1,
      cacheDir: null,
    },
    { blobReader: createBlobImageReader(blobAccessFor(ctx)) },
  );
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
        index,
        embedder: model,
        fetchImage: (url, signal) => fetcher.fetch(url, signal),
        readCatalogImage: (ref, signal) => catalogFetcher.fetch(ref, signal),
        // Stricter than featurize's default: a public endpoint should not decode 100-megapixel bombs.
        decodeImage: (buf, spec) =>
          decodeImage(buf, spec, undefined, 0, {
            maxPixels: request.limits?.maxPixels ?? DEFAULT_LIMITS.maxPixels,
          }),
        search: (vector, options) => engine.search(vector, options),
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
