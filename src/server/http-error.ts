import { ExternalError, MosaicError, UsageError } from "../errors.js";
import { ImageFailure } from "../images/failure.js";
import { OverloadedError } from "./overloaded-error.js";

/** What a failed request answers: status, a JSON body with a message, and any extra headers. */
export interface HttpFailure {
  status: number;
  /** Machine-readable kind ("bad_request", "blocked_address", "overloaded", ...). */
  code: string;
  message: string;
  headers: Record<string, string>;
  /** True for the server's own faults (logged at error level, message hidden from the client). */
  internal: boolean;
}

/** The search took longer than the request deadline; the client may retry. */
export class DeadlineError extends MosaicError {}

const fail = (
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): HttpFailure => ({
  status,
  code,
  message,
  headers,
  internal: status >= 500 && code === "internal",
});

/**
 * Maps any thrown value to an HTTP answer. Client mistakes (bad input, unreachable or refused image URLs,
 * non-images) are 4xx with a message saying what to fix; only our own faults are 500.
 */
export function toHttpFailure(error: unknown): HttpFailure {
  if (error instanceof OverloadedError) {
    return fail(503, "overloaded", error.message, { "retry-after": String(error.retryAfterSeconds) });
  }
  if (error instanceof DeadlineError) return fail(503, "timeout", error.message, { "retry-after": "1" });
  if (error instanceof ImageFailure)
    return fail(400, error.reason, `Image rejected (${error.reason}): ${error.message}`);
  if (error instanceof UsageError) return fail(400, "bad_request", error.message);
  // A store the index lives in (PostgreSQL) failed: retryable, and its message (host, table) stays in the log.
  if (error instanceof ExternalError)
    return fail(503, "backend_unavailable", "The index store is unavailable; try again shortly", {
      "retry-after": "5",
    });
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    // Fastify's own errors: invalid JSON, body too large, unsupported media type, multipart limits.
    const code = (error as { code?: unknown }).code;
    return fail(status, typeof code === "string" ? code : "bad_request", (error as Error).message);
  }
  return fail(500, "internal", "Internal server error");
}
