import { createHash } from "node:crypto";

export interface Thumbnail {
  body: Buffer;
  /** Strong validator: a hash of the bytes, quoted as HTTP wants it. */
  etag: string;
}

export interface ThumbnailCache {
  /** The cached thumbnail for `key`, or the one `make` produces (concurrent callers share one make). */
  get(key: string, make: () => Promise<Buffer>): Promise<Thumbnail>;
  readonly stats: { hits: number; misses: number; bytes: number; entries: number };
}

/**
 * An in-memory LRU of thumbnails bounded by total bytes. Failures are not cached, so an image that was
 * unreachable a minute ago is tried again on the next request.
 */
export function createThumbnailCache(maxBytes: number): ThumbnailCache {
  // A Map iterates in insertion order: re-inserting on every hit makes the first key the least recent.
  const entries = new Map<string, Thumbnail>();
  const pending = new Map<string, Promise<Thumbnail>>();
  const stats = { hits: 0, misses: 0, bytes: 0, entries: 0 };

  const store = (key: string, thumb: Thumbnail) => {
    if (thumb.body.length > maxBytes) return;
    entries.set(key, thumb);
    stats.bytes += thumb.body.length;
    for (const [oldKey, old] of entries) {
      if (stats.bytes <= maxBytes) break;
      entries.delete(oldKey);
      stats.bytes -= old.body.length;
    }
    stats.entries = entries.size;
  };

  return {
    stats,
    get(key, make) {
      const hit = entries.get(key);
      if (hit) {
        stats.hits += 1;
        entries.delete(key);
        entries.set(key, hit);
        return Promise.resolve(hit);
      }
      const inFlight = pending.get(key);
      if (inFlight) return inFlight;
      stats.misses += 1;
      const work = make()
        .then((body) => {
          const thumb = {
            body,
            etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
          };
          store(key, thumb);
          return thumb;
        })
        .finally(() => pending.delete(key));
      pending.set(key, work);
      return work;
    },
  };
}
