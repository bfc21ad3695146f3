import { MosaicError } from "../errors.js";

/** The embed queue is full: the service sheds the request (HTTP 503 + Retry-After) instead of queueing forever. */
export class OverloadedError extends MosaicError {
  constructor(
    message: string,
    /** Seconds a client should wait before retrying. */
    readonly retryAfterSeconds = 1,
  ) {
    super(message, { hint: "Retry later, or run more replicas / raise --max-queue." });
  }
}
