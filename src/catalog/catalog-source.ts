import type { Readable } from "node:stream";

/** Where relative image references in a catalog are resolved from. */
export type ImageBase = { kind: "dir"; dir: string } | { kind: "url"; url: string };

/** An opened catalog: its bytes as a stream plus the base for its relative image paths. */
export interface OpenedCatalog {
  stream: Readable;
  base: ImageBase;
}

/**
 * A place catalogs can be read from (local disk, http(s), later Azure Blob). `readCatalog` asks each
 * source in turn whether it handles a location, so a new backend is one more object in the list.
 */
export interface CatalogSource {
  canOpen(location: string): boolean;
  /** Throws MosaicError (with a hint) when the catalog is missing or unreadable. */
  open(location: string, signal?: AbortSignal): Promise<OpenedCatalog>;
}
