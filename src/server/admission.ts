import type { FastifyInstance } from "fastify";
import { OverloadedError } from "./overloaded-error.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Counted against the admission limit (routes that may fetch, decode and embed an image). */
    admission?: boolean;
  }
}

/** How many image searches may be inside the service at once, from headers to response. */
export interface Admission {
  readonly limit: number;
  /** Searches admitted and not yet answered. */
  readonly pending: number;
}

/**
 * Admission control for the routes marked `config.admission`: it runs in onRequest — after the headers,
 * before a byte of the body is read — so a request beyond `limit` costs neither an upload nor a decode.
 * It is answered 503 + Retry-After with `Connection: close` (the unread body is not drained into a parser).
 * Admitted requests therefore wait behind at most `limit − 1` others, which bounds their latency under any
 * overload. A slot is given back when the response closes, answered or aborted.
 */
export function admissionControl(app: FastifyInstance, limit: number, retryAfterSeconds = 1): Admission {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`maxPending must be a whole number ≥ 1, got ${limit}`);
  let pending = 0;
  app.addHook("onRequest", async (request, reply) => {
    if (request.routeOptions.config.admission !== true) return;
    if (pending >= limit) {
      reply.header("connection", "close");
      throw new OverloadedError(
        `Server busy: ${pending} searches in progress (limit ${limit})`,
        retryAfterSeconds,
      );
    }
    pending++;
    let released = false;
    reply.raw.once("close", () => {
      if (released) return;
      released = true;
      pending--;
    });
  });
  return {
    limit,
    get pending() {
      return pending;
    },
  };
}
