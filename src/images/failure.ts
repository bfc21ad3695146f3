/** Why an image could not be turned into model input. Every failed artwork carries one. */
export type ImageFailureReason =
  | "http_4xx"
  | "http_404"
  | "http_5xx"
  | "timeout"
  | "too_large"
  | "truncated"
  | "not_an_image"
  | "dns"
  | "connection"
  | "blocked_address"
  | "too_many_redirects"
  | "not_found"
  | "decode_failed"
  | "too_many_pixels";

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
