import { UsageError } from "../errors.js";
import type { EmbedPort } from "../contracts/ports.js";
import { ImageFailure } from "../images/failure.js";
import { DECODABLE_NAMES, sniffImage, unsupportedFormatMessage } from "../images/sniff-image.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";
import type { QueryResult } from "../query/query.js";
import { DeadlineError } from "./http-error.js";
import type { SearchInput } from "./search-input.js";
import type { ServedCatalog } from "./served-catalog.js";

/** The outside world a search needs; the real ones come from src/images and src/model. */
export interface SearchPorts {
  /** The index being served (file or pgvector), with its search engine. */
  catalog: ServedCatalog;
  /** The batching embedder, shared by all requests. */
  embedder: EmbedPort;
  /** Fetches an http(s) image with the SSRF guard on; rejects with ImageFailure. */
  fetchImage(url: string, signal: AbortSignal): Promise<Buffer>;
  decodeImage(buf: Buffer, spec: PreprocessSpec): Promise<Float32Array>;
}

export interface SearchLimits {
  /** Largest accepted image, uploaded or fetched. */
  maxImageBytes: number;
  /** Longest a whole search may take before the client gets 503. */
  searchTimeoutMs: number;
}

export type Search = (input: SearchInput) => Promise<QueryResult>;

/**
 * One search as the HTTP routes see it: the shared `query` core, with the server's rules on its ports —
 * only http(s) URLs, a deadline, a size cap, and image bytes checked before they reach the decoder.
 */
export function createSearch(ports: SearchPorts, limits: SearchLimits): Search {
  return async (input) => {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), limits.searchTimeoutMs);
    try {
      const work = ports.catalog.query(
        { target: input.target, n: input.n, filter: input.filter },
        {
          embedder: ports.embedder,
          fetchImage: (ref) => fetchChecked(ports, ref, deadline.signal, limits.maxImageBytes),
          decodeImage: (buf, spec) => decodeChecked(ports, buf, spec, limits.maxImageBytes),
        },
      );
      return await Promise.race([work, rejectOnAbort(deadline.signal, limits.searchTimeoutMs)]);
    } finally {
      clearTimeout(timer);
    }
  };
}

async function fetchChecked(
  ports: SearchPorts,
  ref: string,
  signal: AbortSignal,
  maxBytes: number,
): Promise<Buffer> {
  // Routes only pass validated URLs; this guards the core's "image" target from ever reading a local path.
  if (!/^https?:\/\//i.test(ref)) throw new UsageError("Only http(s) image URLs can be fetched");
  let buf: Buffer;
  try {
    buf = await ports.fetchImage(ref, signal);
  } catch (error) {
    if (error instanceof ImageFailure || signal.aborted) throw error;
    // Anything else the fetch throws is still about the client's URL, not a server fault.
    throw new ImageFailure("connection", `Cannot fetch ${ref}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (buf.length > maxBytes) throw new ImageFailure("too_large", `Image is larger than ${maxBytes} bytes`);
  return buf;
}

async function decodeChecked(ports: SearchPorts, buf: Buffer, spec: PreprocessSpec, maxBytes: number) {
  if (buf.length === 0) throw new ImageFailure("not_an_image", "Image is empty");
  if (buf.length > maxBytes) throw new ImageFailure("too_large", `Image is larger than ${maxBytes} bytes`);
  const type = sniffImage(buf);
  if (type === null)
    throw new ImageFailure("not_an_image", `Not an image: expected ${DECODABLE_NAMES} bytes`);
  const unsupported = unsupportedFormatMessage(type);
  if (unsupported !== undefined) throw new ImageFailure("unsupported_format", `The upload is ${unsupported}`);
  try {
    return await ports.decodeImage(buf, spec);
  } catch (error) {
    if (error instanceof ImageFailure) throw error;
    throw new ImageFailure("decode_failed", `Cannot decode image: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function rejectOnAbort(signal: AbortSignal, ms: number): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener("abort", () => reject(new DeadlineError(`Search took longer than ${ms} ms`)), {
      once: true,
    });
  });
}
