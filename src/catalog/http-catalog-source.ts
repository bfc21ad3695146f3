import { PassThrough, Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { setTimeout as delay } from "node:timers/promises";
import { MosaicError } from "../errors.js";
import type { CatalogSource, OpenedCatalog } from "./catalog-source.js";

export interface HttpCatalogSourceDeps {
  fetch?: typeof globalThis.fetch;
  /** Until the response headers arrive, and then between body chunks. Default 15 000 (as image fetches). */
  timeoutMs?: number;
  /** Tries for a response (5xx, 408, 429, timeouts and resets are retried). Default 3. */
  attempts?: number;
  /** First retry waits about this long, doubling; a Retry-After is honoured up to 30 s. Default 500. */
  backoffMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

function retryAfterMs(header: string | null): number {
  if (header === null) return 0;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? 0 : Math.max(0, at - Date.now());
}

/** Destroys the stream with a clear error when no bytes arrive for `ms` (a server that stops mid-body). */
function withIdleTimeout(source: Readable, ms: number, location: string): Readable {
  const out = new PassThrough();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const error = new MosaicError(`Catalog download ${location} stalled: no data for ${ms / 1000} s.`, {
        hint: "The server stopped sending; try again, or download the catalog and pass the file.",
      });
      source.destroy(error);
      out.destroy(error);
    }, ms);
    timer.unref?.();
  };
  arm();
  source.on("data", arm);
  source.on("error", (error) => {
    clearTimeout(timer);
    out.destroy(
      error instanceof MosaicError
        ? error
        : new MosaicError(`Catalog download ${location} was cut off: ${(error as Error).message}.`, {
            hint: "The connection dropped mid-download; run the command again.",
            cause: error,
          }),
    );
  });
  source.on("end", () => clearTimeout(timer));
  out.on("close", () => {
    clearTimeout(timer);
    source.destroy();
  });
  source.pipe(out);
  return out;
}

/** Streams catalogs served over http(s); relative image paths resolve against the catalog URL. */
export function createHttpCatalogSource(deps: HttpCatalogSourceDeps = {}): CatalogSource {
  const doFetch = deps.fetch ?? globalThis.fetch;
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const attempts = Math.max(1, deps.attempts ?? 3);
  const backoffMs = deps.backoffMs ?? 500;
  const sleep = deps.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  return {
    canOpen: (location) => /^https?:\/\//i.test(location),
    async open(location, signal): Promise<OpenedCatalog> {
      for (let attempt = 1; ; attempt += 1) {
        const last = attempt >= attempts;
        // One controller per try: it aborts when no headers came in time or the caller aborts, and (as
        // fetch ties the body to it) it must not fire later on a body that is still flowing.
        const controller = new AbortController();
        const headers = { aborted: false };
        const timer = setTimeout(() => {
          headers.aborted = true;
          controller.abort();
        }, timeoutMs);
        const onAbort = () => controller.abort();
        signal?.addEventListener("abort", onAbort, { once: true });
        let response: Response;
        try {
          response = await doFetch(location, { signal: controller.signal, redirect: "follow" });
        } catch (error) {
          clearTimeout(timer);
          if (signal?.aborted) throw error;
          if (!last) {
            await sleep(backoffMs * 2 ** (attempt - 1), signal);
            continue;
          }
          const why = headers.aborted ? `no answer within ${timeoutMs / 1000} s` : (error as Error).message;
          throw new MosaicError(`Could not download catalog ${location} (${why}, ${attempts} tries).`, {
            hint: "Check the URL and your network connection.",
            cause: error,
          });
        }
        clearTimeout(timer);
        if (!response.ok || response.body === null) {
          await response.body?.cancel().catch(() => undefined);
          if (!last && RETRY_STATUS.has(response.status)) {
            const asked = Math.min(30_000, retryAfterMs(response.headers.get("retry-after")));
            await sleep(Math.max(asked, backoffMs * 2 ** (attempt - 1)), signal);
            continue;
          }
          throw new MosaicError(`Catalog ${location} answered HTTP ${response.status}.`, {
            hint: "Check the URL; private storage needs a signed (SAS) URL.",
          });
        }
        // The headers deadline is over; from here only silence between chunks times out.
        const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
        const stream = withIdleTimeout(body, timeoutMs, location);
        return { stream, base: { kind: "url", url: response.url || location } };
      }
    },
  };
}
