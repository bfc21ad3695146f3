import type { ResultsJson } from "../query/format-results.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ExternalError, type MosaicError, UsageError } from "../errors.js";
import { sniffImage } from "../images/sniff-image.js";
import type { Filter } from "../vector-index/types.js";
import type { QueryResult } from "../query/query.js";

export interface ServiceQuery {
  /** A local image file (uploaded) or an http(s) URL (fetched by the service). */
  image?: string;
  /** More like this: an artwork id in the service's index. */
  id?: string;
  n: number;
  filter?: Filter;
  /** Sent as x-api-key when the service requires one. */
  apiKey?: string;
  signal?: AbortSignal;
  /** Injected for tests; default: global fetch. */
  fetch?: typeof fetch;
  /** Directory relative image paths are read from (default: process cwd). */
  cwd?: string;
}

/** What a local query returns too, so the CLI prints the same table or JSON. */
export interface ServiceQueryOutcome {
  result: QueryResult;
  /** Facet names seen in the results, in first-seen order (table columns). */
  facets: string[];
}

/**
 * `mosaic query --service <url>`: runs the search on a running `mosaic serve` via `POST /v1/search`.
 * A URL is passed through as `{url}`; a local file is uploaded as the raw request body.
 */
export async function queryService(baseUrl: string, q: ServiceQuery): Promise<ServiceQueryOutcome> {
  const doFetch = q.fetch ?? fetch;
  const endpoint = new URL("v1/search", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  const headers: Record<string, string> = {};
  if (q.apiKey) headers["x-api-key"] = q.apiKey;
  let body: string | Uint8Array;
  if (q.id !== undefined || (q.image !== undefined && /^https?:\/\//i.test(q.image))) {
    headers["content-type"] = "application/json";
    body = JSON.stringify({
      ...(q.id !== undefined ? { id: q.id } : { url: q.image }),
      n: q.n,
      ...(q.filter ? { filter: q.filter } : {}),
    });
  } else if (q.image !== undefined) {
    body = await readImage(q.image, q.cwd);
    headers["content-type"] = `image/${sniffImage(body) ?? "octet-stream"}`;
    endpoint.searchParams.set("n", String(q.n));
    for (const [field, values] of Object.entries(q.filter ?? {})) {
      endpoint.searchParams.append(
        "filter",
        `${field}=${values.map((v) => v.replace(/,/g, "\\,")).join(",")}`,
      );
    }
  } else {
    throw new UsageError("Give an image (path or URL) or an artwork id to query the service with");
  }

  let response: Response;
  try {
    response = await doFetch(endpoint, {
      method: "POST",
      headers,
      body,
      ...(q.signal ? { signal: q.signal } : {}),
    });
  } catch (cause) {
    throw new ExternalError(`Cannot reach the mosaic service at ${endpoint.origin}`, {
      hint: "Check the --service URL and that `mosaic serve` is running there.",
      cause,
    });
  }
  const text = await response.text();
  if (!response.ok) throw serviceError(response, text);
  let data: ResultsJson;
  try {
    data = JSON.parse(text) as ResultsJson;
  } catch (cause) {
    throw new ExternalError(`The service at ${endpoint.origin} answered something that is not JSON`, {
      cause,
    });
  }
  const facets: string[] = [];
  for (const r of data.results)
    for (const f of Object.keys(r.facets)) if (!facets.includes(f)) facets.push(f);
  return {
    facets,
    result: {
      matches: data.matches,
      unmatched: data.unmatched ?? [],
      hits: data.results.map((r) => ({
        rank: r.rank,
        score: r.score,
        id: r.id,
        record: { id: r.id, image: r.image, facets: r.facets, meta: r.meta },
      })),
    },
  };
}

async function readImage(file: string, cwd: string | undefined): Promise<Buffer> {
  try {
    return await readFile(cwd ? path.resolve(cwd, file) : file);
  } catch (cause) {
    throw new UsageError(`Cannot read image ${file}: ${(cause as Error).message}`, { cause });
  }
}

function serviceError(response: Response, text: string): MosaicError {
  let message = text.slice(0, 500);
  try {
    message = (JSON.parse(text) as { error?: string }).error ?? message;
  } catch {
    // not JSON: keep the text
  }
  const status = response.status;
  if (status === 401)
    return new UsageError(`The service refused the API key: ${message}`, {
      hint: "Set MOSAIC_API_KEY to the service's key.",
    });
  if (status === 503) {
    const retry = response.headers.get("retry-after");
    return new ExternalError(`The service is busy: ${message}`, {
      hint: `Retry${retry ? ` in ${retry} s` : " later"}.`,
    });
  }
  if (status >= 400 && status < 500) return new UsageError(`The service rejected the query: ${message}`);
  return new ExternalError(`The service failed (HTTP ${status}): ${message}`);
}
