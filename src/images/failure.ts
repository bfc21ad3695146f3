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
  | "not_found"
  | "decode_failed"
  | "too_many_pixels";

export class ImageFailure extends Error {
  constructor(
    readonly reason: ImageFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ImageFailure";
  }
}
