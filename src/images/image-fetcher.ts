import http from "node:http";
import https from "node:https";
import { createAddressPolicy, type AddressPolicyOptions } from "./address-policy.js";
import { backoffDelay, sleep as defaultSleep } from "./backoff.js";
import { ImageFailure, type ImageFailureReason } from "./failure.js";
import { type HostLookup, httpGet, systemLookup } from "./http-get.js";
import { createDiskCache, type ImageCache } from "./image-cache.js";
import { createLimiter, type Limiter } from "./limiter.js";
import { readLocalImage } from "./read-local-image.js";
import { sniffImage, unsupportedFormatMessage } from "./sniff-image.js";

export interface ImageFetcherOptions extends AddressPolicyOptions {
  /** Per attempt, covering DNS, headers and body (all redirect hops). Default 15 000. */
  timeoutMs?: number;
  /** Tries per URL, first one included. Default 3. */
  attempts?: number;
  /** Largest image accepted, local or remote. Default 20 MiB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Where downloads are kept between runs; null (default) disables the cache. */
  cacheDir?: string | null;
  /** Downloads in flight at once. Default 16. */
  concurrency?: number;
  /** First retry waits about this long, doubling each time up to maxBackoffMs. Default 500 / 10 000. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Longest Retry-After honoured before a retry (longer asks wait this long). Default 30 000. */
  maxRetryAfterMs?: number;
  userAgent?: string;
}

/** Reads refs plain http cannot (Azure Blob with credentials); one attempt, throwing ImageFailure like httpGet. */
export interface BlobReader {
  canRead(ref: string): boolean;
  read(ref: string, limits: { maxBytes: number; timeoutMs: number }, signal?: AbortSignal): Promise<Buffer>;
}

export interface ImageFetcherDeps {
  lookup?: HostLookup;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Share one limiter between several fetchers; default: a new one of `concurrency` slots. */
  limiter?: Limiter;
  cache?: ImageCache;
  /** Blob refs go through it with the same limiter, retries and cache as http. */
  blobReader?: BlobReader;
}

export interface FetcherStats {
  /** HTTP attempts made (retries included); cache hits and local files are not counted. */
  requests: number;
  cacheHits: number;
  /** Cache writes that failed (disk full, read-only dir); the image itself was still returned. */
  cacheWriteErrors: number;
}

export interface ImageFetcher {
  /** Image bytes for an http(s) URL or a local path; throws ImageFailure (AbortedError when aborted). */
  fetch(ref: string, signal?: AbortSignal): Promise<Buffer>;
  readonly limiter: Limiter;
  readonly stats: Readonly<FetcherStats>;
  /** Closes idle keep-alive connections. */
  close(): void;
}

const RETRYABLE = new Set<ImageFailureReason>(["http_5xx", "timeout", "connection", "truncated"]);

/** 5xx, timeouts, resets and cut-off bodies are worth another try; so are 408 and 429 (the server says so). */
function isRetryable(failure: ImageFailure): boolean {
  return RETRYABLE.has(failure.reason) || failure.status === 408 || failure.status === 429;
}

function isDecodable(data: Buffer): boolean {
  const type = sniffImage(data);
  return type !== null && unsupportedFormatMessage(type) === undefined;
}

function assertImage(data: Buffer, ref: string): Buffer {
  const type = sniffImage(data);
  const unsupported = type === null ? undefined : unsupportedFormatMessage(type);
  if (unsupported !== undefined) throw new ImageFailure("unsupported_format", `${ref} is ${unsupported}`);
  if (type === null) {
    const start = data
      .subarray(0, 16)
      .toString("latin1")
      .replace(/[^\x20-\x7e]/g, ".");
    throw new ImageFailure("not_an_image", `${ref} is not a known image format (starts with "${start}")`);
  }
  return data;
}

/** Builds the image fetcher used by featurize and query: caps, timeouts, retries, cache and SSRF guard. */
export function createImageFetcher(
  options: ImageFetcherOptions = {},
  deps: ImageFetcherDeps = {},
): ImageFetcher {
  const attempts = Math.max(1, options.attempts ?? 3);
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  const limiter = deps.limiter ?? createLimiter(options.concurrency ?? 16);
  const cacheDir = options.cacheDir ?? null;
  const cache = deps.cache ?? (cacheDir === null ? undefined : createDiskCache(cacheDir));
  const agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
  const getOptions = {
    timeoutMs: options.timeoutMs ?? 15_000,
    maxBytes,
    maxRedirects: options.maxRedirects ?? 5,
    policy: createAddressPolicy(options),
    lookup: deps.lookup ?? systemLookup,
    agents,
    userAgent: options.userAgent ?? "mosaic-image-fetcher",
  };
  const stats: FetcherStats = { requests: 0, cacheHits: 0, cacheWriteErrors: 0 };

  async function download(url: string, signal?: AbortSignal): Promise<Buffer> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        // One slot per attempt: a URL waiting out its backoff does not hold up other downloads.
        const data = await limiter.run(() => {
          stats.requests += 1;
          return deps.blobReader?.canRead(url)
            ? deps.blobReader.read(url, { maxBytes, timeoutMs: getOptions.timeoutMs }, signal)
            : httpGet(url, getOptions, signal);
        });
        return assertImage(data, url);
      } catch (error) {
        if (!(error instanceof ImageFailure) || !isRetryable(error) || attempt >= attempts) throw error;
        // A server's Retry-After (429/503) is honoured, capped so one host cannot stall the job.
        const asked = Math.min(error.retryAfterMs ?? 0, maxRetryAfterMs);
        await sleep(Math.max(asked, backoffDelay(attempt, backoffMs, maxBackoffMs, random)), signal);
      }
    }
  }

  async function fetchUrl(url: string, signal?: AbortSignal): Promise<Buffer> {
    const cached = await cache?.get(url);
    // A cache entry that is not an image (edited by hand, foreign file) is ignored and replaced.
    if (cached !== undefined && isDecodable(cached)) {
      stats.cacheHits += 1;
      return cached;
    }
    const data = await download(url, signal);
    if (cache !== undefined) {
      // The download succeeded; a full disk should cost the cache, not the image.
      await cache.set(url, data).catch(() => {
        stats.cacheWriteErrors += 1;
      });
    }
    return data;
  }

  return {
    async fetch(ref, signal) {
      if (/^https?:\/\//i.test(ref) || deps.blobReader?.canRead(ref)) return fetchUrl(ref, signal);
      if (/^[a-z][a-z0-9+.-]+:/i.test(ref)) {
        throw new ImageFailure("blocked_address", `unsupported image reference ${ref}`);
      }
      return assertImage(await readLocalImage(ref, maxBytes), ref);
    },
    limiter,
    stats,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
