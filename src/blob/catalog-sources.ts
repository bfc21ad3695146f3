import type { CatalogSource } from "../catalog/catalog-source.js";
import { createFileCatalogSource } from "../catalog/file-catalog-source.js";
import { createHttpCatalogSource } from "../catalog/http-catalog-source.js";
import type { BlobAccess } from "./blob-access.js";
import { createBlobCatalogSource } from "./blob-catalog-source.js";

/** readCatalog's sources with blob storage first, so storage URLs get credentials instead of plain http. */
export function catalogSourcesWithBlob(access: BlobAccess): CatalogSource[] {
  return [createBlobCatalogSource(access), createHttpCatalogSource(), createFileCatalogSource()];
}
