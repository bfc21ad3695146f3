import type { CatalogSource, OpenedCatalog } from "../catalog/catalog-source.js";
import type { BlobAccess } from "./blob-access.js";
import { blobUrl } from "./blob-location.js";
import { guard } from "./storage-error.js";

/**
 * Streams catalogs stored as blobs (az://, *.blob.core.windows.net, the connection string's endpoint).
 * Relative image paths resolve against the catalog's SAS-free URL, which the image fetcher's blob
 * reader recognises, so `images/1.jpg` next to the catalog just works and no SAS lands in the index.
 */
export function createBlobCatalogSource(access: BlobAccess): CatalogSource {
  return {
    canOpen: (location) => {
      try {
        return access.parse(location) !== undefined;
      } catch {
        // Claimed so that open() reports what is wrong with it rather than "no reader handles".
        return /^az:\/\//i.test(location);
      }
    },
    async open(location, signal): Promise<OpenedCatalog> {
      const ref = access.parse(location);
      if (ref === undefined) throw new Error(`not a blob location: ${location}`);
      const { stream } = await guard(() => access.store.openRead(ref, signal), "reading the catalog", ref);
      return { stream, base: { kind: "url", url: blobUrl(ref) } };
    },
  };
}
