import type { LookupAddress, LookupOneOptions } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { AbortedError } from "../errors.js";
import type { AddressPolicy } from "./address-policy.js";
import { ImageFailure } from "./failure.js";

/** Resolves a host name to all its addresses (dns.lookup with all: true by default; tests fake it). */
export type HostLookup = (hostname: string) => Promise<LookupAddress[]>;

export const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface HttpGetOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  policy: AddressPolicy;
  lookup: HostLookup;
  agents: { http: http.Agent; https: https.Agent };
  userAgent: string;
}

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL", "EAI_NODATA"]);

/** Rejects when the signal fires, so steps that cannot be cancelled (dns.lookup) still obey the timeout. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Resolves and checks every address; returns the one the connection will be pinned to. */
async function resolveTarget(
  hostname: string,
  options: HttpGetOptions,
  signal: AbortSignal,
): Promise<LookupAddress> {
  const host = hostname.replace(/^\[|\]$/g, "");
  const literal = isIP(host);
  const addresses =
    literal !== 0 ? [{ address: host, family: literal }] : await raceAbort(options.lookup(host), signal);
  const first = addresses[0];
  if (first === undefined) throw new ImageFailure("dns", `${host} has no addresses`);
  // Every address must pass: a host answering both public and private addresses is refused.
  const refused = addresses.find(({ address }) => !options.policy.allows(host, address));
  if (refused !== undefined) {
    throw new ImageFailure("blocked_address", `${host} resolves to non-public address ${refused.address}`);
  }
  return first;
}

/** A lookup that always answers the already-checked address, so DNS rebinding cannot swap it later. */
function pinnedLookup(target: LookupAddress): LookupFunction {
  return ((
    _host: string,
    options: LookupOneOptions & { all?: boolean },
    callback: (...args: unknown[]) => void,
  ) => {
    if (options.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  }) as LookupFunction;
}

function request(url: URL, target: LookupAddress, options: HttpGetOptions, signal: AbortSignal) {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const secure = url.protocol === "https:";
    const req = (secure ? https : http).request(
      url,
      {
        agent: secure ? options.agents.https : options.agents.http,
        headers: { "user-agent": options.userAgent, accept: "image/*,*/*;q=0.5" },
        lookup: pinnedLookup(target),
        signal,
      },
      resolve,
    );
    req.on("error", reject);
    req.end();
  });
}

async function readBody(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const header = res.headers["content-length"];
  const declared = header === undefined ? undefined : Number(header);
  if (declared !== undefined && declared > maxBytes) {
    res.destroy();
    throw new ImageFailure("too_large", `Content-Length ${declared} exceeds the ${maxBytes}-byte cap`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      total += chunk.length;
      // Counted while streaming: chunked responses and lying Content-Length headers get cut off too.
      if (total > maxBytes) {
        res.destroy();
        throw new ImageFailure("too_large", `body exceeds the ${maxBytes}-byte cap`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ImageFailure) throw error;
    throw new ImageFailure("truncated", `connection closed after ${total} bytes`, { cause: error });
  }
  if (!res.complete || (declared !== undefined && total !== declared)) {
    throw new ImageFailure("truncated", `got ${total} of ${declared ?? "?"} bytes`);
  }
  return Buffer.concat(chunks, total);
}

/** Retry-After as delay-seconds or an HTTP-date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function statusFailure(status: number, url: URL, retryAfter?: string): ImageFailure {
  const message = `HTTP ${status} from ${url.host}`;
  const retryAfterMs = parseRetryAfter(retryAfter);
  const extra = retryAfterMs === undefined ? { status } : { status, retryAfterMs };
  if (status === 404) return new ImageFailure("http_404", message, extra);
  if (status >= 500) return new ImageFailure("http_5xx", message, extra);
  return new ImageFailure("http_4xx", message, extra);
}

function classify(error: unknown, caller: AbortSignal | undefined, timeout: AbortSignal, ms: number): Error {
  if (caller?.aborted) return new AbortedError();
  if (timeout.aborted)
    return new ImageFailure("timeout", `no complete response within ${ms} ms`, { cause: error });
  if (error instanceof ImageFailure) return error;
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const message = (error as Error).message ?? String(error);
  if (DNS_CODES.has(code)) return new ImageFailure("dns", `DNS lookup failed: ${message}`, { cause: error });
  return new ImageFailure("connection", `connection failed: ${message}`, { cause: error });
}

/**
 * One GET attempt: follows up to `maxRedirects` redirects by hand so every hop's host is resolved,
 * checked against the policy and pinned. The timeout covers DNS, headers and body of all hops.
 */
export async function httpGet(url: string, options: HttpGetOptions, signal?: AbortSignal): Promise<Buffer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    let current = new URL(url);
    for (let hop = 0; ; hop += 1) {
      if (current.protocol !== "http:" && current.protocol !== "https:") {
        throw new ImageFailure(
          "blocked_address",
          `refusing to fetch ${current.protocol} URL ${current.href}`,
        );
      }
      const target = await resolveTarget(current.hostname, options, combined);
      const res = await request(current, target, options, combined);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        res.resume();
        if (hop >= options.maxRedirects) {
          throw new ImageFailure(
            "too_many_redirects",
            `more than ${options.maxRedirects} redirects from ${url}`,
          );
        }
        current = new URL(location, current);
        continue;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        throw statusFailure(status, current, res.headers["retry-after"]);
      }
      return await readBody(res, options.maxBytes);
    }
  } catch (error) {
    throw classify(error, signal, timeout, options.timeoutMs);
  }
}
