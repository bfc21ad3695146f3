import type { FastifyInstance } from "fastify";
import { UsageError } from "../errors.js";
import { ImageFailure } from "../images/failure.js";
import { makeThumbnail } from "../images/make-thumbnail.js";
import { redact } from "../redact.js";
import type { ServedCatalog } from "./served-catalog.js";
import type { ThumbnailCache } from "./thumbnail-cache.js";

export const THUMBNAIL_SIZES = { min: 16, max: 1024, default: 256 };

export interface ThumbnailRouteDeps {
  catalog: ServedCatalog;
  /**
   * Reads a catalog image ref (local path, http(s) URL or blob ref) with the fetch rules on: size cap,
   * timeout, SSRF guard. Rejects with ImageFailure.
   */
  readCatalogImage(ref: string, signal: AbortSignal): Promise<Buffer>;
  cache: ThumbnailCache;
  /** Longest the read + resize may take. */
  timeoutMs: number;
  maxPixels: number;
  /** With an API key the thumbnails are the key holder's: shared caches must not keep them. */
  privateCache: boolean;
}

/** `size` from the query string: a whole number of pixels within THUMBNAIL_SIZES. */
export function parseThumbnailSize(raw: unknown): number {
  if (raw === undefined || raw === "") return THUMBNAIL_SIZES.default;
  const text = Array.isArray(raw) ? raw[0] : raw;
  const n = typeof text === "string" && /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < THUMBNAIL_SIZES.min || n > THUMBNAIL_SIZES.max) {
    throw new UsageError(
      `size must be a whole number of pixels from ${THUMBNAIL_SIZES.min} to ${THUMBNAIL_SIZES.max}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

/** `GET /v1/artworks/:id/image?size=256`: a JPEG thumbnail of the catalog's image, cached in memory. */
export async function thumbnailRoute(app: FastifyInstance, deps: ThumbnailRouteDeps): Promise<void> {
  const cacheControl = `${deps.privateCache ? "private" : "public"}, max-age=86400`;
  app.get("/v1/artworks/:id/image", async (request, reply) => {
    const { id } = request.params as { id: string };
    const size = parseThumbnailSize((request.query as Record<string, unknown>).size);
    const record = await deps.catalog.record(id);
    if (!record)
      return reply.code(404).send({ error: `No artwork with id ${JSON.stringify(id)}`, code: "not_found" });
    let thumb: Awaited<ReturnType<ThumbnailCache["get"]>>;
    try {
      thumb = await deps.cache.get(`${size}\u0000${id}`, async () => {
        const signal = AbortSignal.timeout(deps.timeoutMs);
        const source = await deps.readCatalogImage(record.image, signal);
        return makeThumbnail(source, { size, maxPixels: deps.maxPixels });
      });
    } catch (error) {
      if (!(error instanceof ImageFailure) && !(error instanceof DOMException)) throw error;
      // The catalog's image is broken or unreachable: an upstream fault, not the client's nor ours.
      const why = error instanceof ImageFailure ? error.message : "timed out";
      request.log.warn({ id, reason: redact(why) }, "thumbnail unavailable");
      return reply.code(502).send({
        error: `The image of artwork ${JSON.stringify(id)} is unavailable: ${redact(why)}`,
        code: "image_unavailable",
      });
    }
    reply.header("cache-control", cacheControl).header("etag", thumb.etag);
    if (etagMatches(request.headers["if-none-match"], thumb.etag)) return reply.code(304).send();
    return reply.type("image/jpeg").send(thumb.body);
  });
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === etag || t === "*");
}
