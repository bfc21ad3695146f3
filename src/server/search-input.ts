import { z } from "zod";
import { UsageError } from "../errors.js";
import { parseFilter } from "../search/parse-filter.js";
import type { Filter } from "../vector-index/types.js";
import { parseMinScore } from "../query/min-score.js";
import type { QueryTarget } from "../query/query.js";

export const DEFAULT_N = 10;
const MAX_URL_LENGTH = 4096;
const MAX_FILTER_VALUES = 256;

/** A parsed search: what to look for, how many, among which artworks. */
export interface SearchInput {
  target: QueryTarget;
  n: number;
  filter: Filter | undefined;
  /** Drop hits scoring below this (JSON `minScore`, query string / form `min_score`). */
  minScore?: number | undefined;
}

/** `n` from JSON (number) or a query string / form field (text); 1..maxN. */
export function parseN(raw: unknown, maxN: number, fallback = DEFAULT_N): number {
  if (raw === undefined || raw === null || raw === "") return fallback;
  const n =
    typeof raw === "number"
      ? raw
      : typeof raw === "string" && /^\s*-?\d+\s*$/.test(raw)
        ? Number(raw)
        : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > maxN) {
    throw new UsageError(`n must be a whole number from 1 to ${maxN}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** Only absolute http(s) URLs: never a server-side file path, data: or file: URL. */
export function parseImageUrl(raw: unknown): string {
  if (typeof raw !== "string" || raw.trim() === "") throw new UsageError("url must be a non-empty string");
  if (raw.length > MAX_URL_LENGTH) throw new UsageError(`url is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(`url is not a valid absolute URL: ${JSON.stringify(raw.slice(0, 200))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`url must use http or https, got ${url.protocol.replace(/:$/, "")}`);
  }
  return url.href;
}

const filterValue = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(MAX_FILTER_VALUES)]);
const filterObject = z.record(z.string().min(1), filterValue);

/** Keys that would reach Object.prototype if used as a plain object's property names. */
const RESERVED_FIELDS = new Set(["__proto__", "constructor", "prototype"]);

function assertFieldName(field: string): void {
  if (RESERVED_FIELDS.has(field)) throw new UsageError(`Invalid filter field ${JSON.stringify(field)}`);
}

/** A JSON filter `{ field: value | [values] }` → Filter (AND across fields, OR within). */
export function normalizeFilter(raw: unknown): Filter | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "object") for (const key of Object.keys(raw)) assertFieldName(key);
  const parsed = filterObject.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(`Invalid filter: ${issuesText(parsed.error)}`, {
      hint: 'Use an object of facet → value or values, e.g. {"culture": ["Dutch", "Flemish"]}.',
    });
  }
  const filter: Filter = {};
  for (const [field, value] of Object.entries(parsed.data))
    filter[field] = typeof value === "string" ? [value] : value;
  return Object.keys(filter).length === 0 ? undefined : filter;
}

/** Repeated `filter=field=value[,value]` query or form parameters (the CLI's --filter syntax). */
export function filterFromPairs(pairs: readonly string[]): Filter | undefined {
  if (pairs.length === 0) return undefined;
  for (const pair of pairs) assertFieldName(pair.slice(0, Math.max(0, pair.indexOf("="))).trim());
  const filter = parseFilter(pairs);
  return Object.keys(filter).length === 0 ? undefined : filter;
}

const jsonBody = z.strictObject({
  url: z.string().optional(),
  id: z.string().min(1).max(1024).optional(),
  n: z.unknown().optional(),
  filter: z.unknown().optional(),
  minScore: z.unknown().optional(),
});

/** `POST /v1/search` with a JSON body: `{url}` or `{id}`, optional n and filter. */
export function parseJsonSearch(body: unknown, maxN: number): SearchInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new UsageError('Body must be a JSON object like {"url": "https://...", "n": 10}');
  }
  const parsed = jsonBody.safeParse(body);
  if (!parsed.success) throw new UsageError(`Invalid search request: ${issuesText(parsed.error)}`);
  const { url, id, n, filter, minScore } = parsed.data;
  if ((url === undefined) === (id === undefined)) {
    throw new UsageError('Give exactly one of "url" (an image URL) or "id" (an indexed artwork)');
  }
  return {
    target: id !== undefined ? { id } : { image: parseImageUrl(url) },
    n: parseN(n, maxN),
    filter: normalizeFilter(filter),
    minScore: parseMinScore(minScore),
  };
}

/** A query-string or form value that may be repeated: always a list of strings. */
export function stringList(raw: unknown): string[] {
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((v): v is string => typeof v === "string");
}

function issuesText(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}
