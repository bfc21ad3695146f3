import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/** Downloaded image bytes by URL, so a re-run fetches nothing twice. */
export interface ImageCache {
  get(url: string): Promise<Buffer | undefined>;
  set(url: string, data: Buffer): Promise<void>;
}

/** Path of a URL's entry: sha256 hex, fanned out by its first two digits so no directory gets huge. */
export function cachePath(dir: string, url: string): string {
  const key = createHash("sha256").update(url).digest("hex");
  return path.join(dir, key.slice(0, 2), key);
}

/** A cache of files under `dir`. Writes go to a temp file then rename, so readers never see half a file. */
export function createDiskCache(dir: string): ImageCache {
  return {
    async get(url) {
      try {
        return await readFile(cachePath(dir, url));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async set(url, data) {
      const file = cachePath(dir, url);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomUUID()}.tmp`;
      try {
        await writeFile(temp, data);
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
  };
}
