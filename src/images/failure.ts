import type { ImageFailureReason } from "../contracts/image-failure-reason.js";

export type { ImageFailureReason };

export class ImageFailure extends Error {
  /** HTTP status when the failure came from a response (lets the fetcher retry 408/429). */
  readonly status: number | undefined;
  /** How long the server asked us to wait (its Retry-After header), in ms. */
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly reason: ImageFailureReason,
    message: string,
    options?: { cause?: unknown; status?: number; retryAfterMs?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ImageFailure";
    this.status = options?.status;
    this.retryAfterMs = options?.retryAfterMs;
  }
}
