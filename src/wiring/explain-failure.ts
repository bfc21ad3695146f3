import { MosaicError } from "../errors.js";
import { ImageFailure, type ImageFailureReason } from "../images/failure.js";

const IMAGE_HINTS: Partial<Record<ImageFailureReason, string>> = {
  not_found: "Check the image path (relative paths start at the working directory).",
  http_404: "The server has no image at that URL; check it in a browser.",
  http_4xx: "The server refused the request; check the URL and any credentials it needs.",
  http_5xx: "The image server failed; try again later.",
  timeout: "The image server did not answer in time; try again, or raise fetch.timeoutMs.",
  not_an_image: "Give a JPEG, PNG, GIF, WebP, TIFF or AVIF file or URL (not a web page).",
  unsupported_format: "Convert the image to JPEG or PNG first.",
  too_large: "Use a smaller image, or raise fetch.maxBytes in mosaic.config.",
  too_many_pixels: "Use a smaller image.",
  decode_failed: "The file is damaged or not the format it claims; re-export it.",
  blocked_address: "The address is not public; allow it with --allow-host or --allow-cidr if you trust it.",
  dns: "Check the host name and your network connection.",
  connection: "Check the URL and your network connection.",
};

const ERRNO: Record<string, { what: string; hint: string }> = {
  ENOSPC: {
    what: "No space left on the device",
    hint: "Free disk space, or write --out / --cache-dir elsewhere.",
  },
  EDQUOT: { what: "Disk quota exceeded", hint: "Free space within your quota, or write elsewhere." },
  EROFS: { what: "The file system is read-only", hint: "Write --out / --cache-dir to a writable place." },
  EACCES: { what: "Permission denied", hint: "Check the permissions of the path, or write elsewhere." },
  EPERM: { what: "Operation not permitted", hint: "Check the permissions of the path, or write elsewhere." },
  EMFILE: {
    what: "Too many open files",
    hint: "Lower --concurrency or raise the open-file limit (ulimit -n).",
  },
  EADDRINUSE: {
    what: "The port is already in use",
    hint: "Stop the process holding it, pick another --port, or pass --port 0 for a free one.",
  },
  EADDRNOTAVAIL: { what: "The address is not on this machine", hint: "Check --host." },
};

/**
 * Ordinary failures (an image that cannot be read, a full disk, a port in use) that reached the error
 * boundary as plain errors, turned into MosaicErrors with a hint; undefined for anything else (a bug).
 */
export function explainFailure(error: unknown): MosaicError | undefined {
  if (error instanceof ImageFailure) {
    return new MosaicError(`Cannot use the image: ${error.message} (${error.reason})`, {
      hint: IMAGE_HINTS[error.reason] ?? "Check the image and try again.",
      cause: error,
    });
  }
  const errno = error as NodeJS.ErrnoException | undefined;
  const known = typeof errno?.code === "string" ? ERRNO[errno.code] : undefined;
  if (!known || !(error instanceof Error)) return undefined;
  const where = errno?.path ?? (errno as { address?: string; port?: number }).address;
  const port = (errno as { port?: number }).port;
  const place = where === undefined ? "" : `: ${where}${port === undefined ? "" : `:${port}`}`;
  return new MosaicError(`${known.what}${place}`, { hint: known.hint, cause: error });
}
