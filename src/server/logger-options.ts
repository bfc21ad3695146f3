import type { FastifyServerOptions } from "fastify";
import { redact } from "../redact.js";

type LoggerOptions = Exclude<FastifyServerOptions["logger"], boolean | undefined>;

/** Headers worth a log line; credentials among them are censored. */
const LOGGED_HEADERS = [
  "user-agent",
  "content-type",
  "content-length",
  "x-forwarded-for",
  "x-api-key",
  "authorization",
];

/**
 * Structured JSON logs (pino) for `stream` (stderr in `mosaic serve`): API keys and Authorization headers
 * censored, SAS signatures and tokens blanked from URLs, in request lines and error messages alike.
 */
export function loggerOptions(stream: NodeJS.WritableStream, level = "info"): LoggerOptions {
  return {
    level,
    stream,
    redact: {
      paths: ['req.headers["x-api-key"]', "req.headers.authorization", "req.headers.cookie"],
      censor: "[REDACTED]",
    },
    serializers: {
      req(req) {
        const headers: Record<string, unknown> = {};
        for (const name of LOGGED_HEADERS)
          if (req.headers[name] !== undefined) headers[name] = req.headers[name];
        return {
          method: req.method,
          url: redact(req.url ?? ""),
          remoteAddress: req.socket?.remoteAddress,
          headers,
        };
      },
      err(err) {
        return {
          type: err.name,
          code: err.code,
          message: redact(err.message),
          stack: redact(err.stack ?? ""),
        };
      },
    },
  };
}
