import { open } from "node:fs/promises";
import path from "node:path";
import { MosaicError } from "../errors.js";
import type { CatalogSource, OpenedCatalog } from "./catalog-source.js";

/** Reads catalogs from local paths; accepts anything that is not a URL with a scheme. */
export function createFileCatalogSource(): CatalogSource {
  return {
    canOpen: (location) => !/^[a-z][a-z0-9+.-]+:/i.test(location),
    async open(location): Promise<OpenedCatalog> {
      const file = path.resolve(location);
      try {
        // Opening first turns ENOENT/EACCES/EISDIR into one clear error instead of a late stream error.
        const handle = await open(file, "r");
        const stat = await handle.stat();
        if (!stat.isFile()) {
          await handle.close();
          throw Object.assign(new Error("not a regular file"), { code: "EISDIR" });
        }
        return { stream: handle.createReadStream(), base: { kind: "dir", dir: path.dirname(file) } };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is not a file" : "cannot be read";
        throw new MosaicError(`Catalog ${file} ${why}.`, {
          hint: "Pass the path of a .csv, .tsv or .jsonl catalog, or an http(s) URL.",
          cause: error,
        });
      }
    },
  };
}
