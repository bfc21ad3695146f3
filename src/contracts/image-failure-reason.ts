/** Why an image could not be turned into model input. Every failed artwork carries one. */
export type ImageFailureReason =
  | "http_4xx"
  | "http_404"
  | "http_5xx"
  | "timeout"
  | "too_large"
  | "truncated"
  | "not_an_image"
  | "unsupported_format"
  | "dns"
  | "connection"
  | "blocked_address"
  | "too_many_redirects"
  | "not_found"
  | "decode_failed"
  | "too_many_pixels";
