import { AbortedError } from "../errors.js";
import { ImageFailure } from "../images/failure.js";
import type { BlobReader } from "../images/image-fetcher.js";
import type { BlobAccess } from "./blob-access.js";
import { type BlobRef, blobUrl } from "./blob-location.js";
import { type BlobFailureKind, BlobStoreError } from "./blob-store.js";

/**
 * The image fetcher's port for blob refs: one download attempt through the single-try store (the
 * fetcher owns retries, the limiter and the cache), with the same size cap and per-attempt timeout as
 * http, and failures in the fetcher's vocabulary (a deleted blob is http_404, so the row is reported
 * and the run goes on).
 */
export function createBlobImageReader(access: BlobAccess): BlobReader {
  return {
    canRead(ref) {
      try {
        return access.parse(ref) !== undefined;
      } catch {
        return /^az:\/\//i.test(ref);
      }
    },
    async read(ref, limits, signal) {
      let parsed: BlobRef | undefined;
      try {
        parsed = access.parse(ref);
      } catch (error) {
        throw new ImageFailure("not_found", (error as Error).message);
      }
      if (parsed === undefined) throw new ImageFailure("blocked_address", `not a blob location: ${ref}`);
      const timeout = AbortSignal.timeout(limits.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      const where = blobUrl(parsed);
      try {
        const { stream, size } = await access.singleTryStore.openRead(parsed, combined);
        if (size !== undefined && size > limits.maxBytes) {
          stream.destroy();
          throw new ImageFailure(
            "too_large",
            `${where} is ${size} bytes, over the ${limits.maxBytes}-byte cap`,
          );
        }
        const chunks: Buffer[] = [];
        let total = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          total += chunk.length;
          if (total > limits.maxBytes) {
            stream.destroy();
            throw new ImageFailure("too_large", `${where} exceeds the ${limits.maxBytes}-byte cap`);
          }
          chunks.push(chunk);
        }
        if (size !== undefined && total !== size) {
          throw new ImageFailure("truncated", `got ${total} of ${size} bytes of ${where}`);
        }
        return Buffer.concat(chunks, total);
      } catch (error) {
        if (signal?.aborted) throw new AbortedError();
        if (timeout.aborted) {
          throw new ImageFailure(
            "timeout",
            `no complete response for ${where} within ${limits.timeoutMs} ms`,
          );
        }
        if (error instanceof ImageFailure) throw error;
        if (error instanceof BlobStoreError) throw asImageFailure(error, where);
        throw new ImageFailure("truncated", `download of ${where} broke off: ${(error as Error).message}`);
      }
    },
  };
}

const REASONS: Record<BlobFailureKind, { reason: ImageFailure["reason"]; status?: number }> = {
  not_found: { reason: "http_404", status: 404 },
  container_not_found: { reason: "http_404", status: 404 },
  auth: { reason: "http_4xx", status: 403 },
  throttled: { reason: "http_5xx", status: 503 },
  server: { reason: "http_5xx" },
  network: { reason: "connection" },
  timeout: { reason: "timeout" },
  other: { reason: "http_4xx" },
};

function asImageFailure(error: BlobStoreError, where: string): ImageFailure {
  const { reason, status } = REASONS[error.kind];
  const code = error.status ?? status;
  return new ImageFailure(
    reason,
    `${where}: ${error.message}`,
    code === undefined ? undefined : { status: code },
  );
}
