import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { MosaicError } from "../errors.js";
import type { CatalogSource, OpenedCatalog } from "./catalog-source.js";

export interface HttpCatalogSourceDeps {
  fetch?: typeof globalThis.fetch;
}

/** Streams catalogs served over http(s); relative image paths resolve against the catalog URL. */
export function createHttpCatalogSource(deps: HttpCatalogSourceDeps = {}): CatalogSource {
  const doFetch = deps.fetch ?? globalThis.fetch;
  return {
    canOpen: (location) => /^https?:\/\//i.test(location),
    async open(location, signal): Promise<OpenedCatalog> {
      let response: Response;
      try {
        response = await doFetch(location, { signal: signal ?? null, redirect: "follow" });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new MosaicError(`Could not download catalog ${location}.`, {
          hint: "Check the URL and your network connection.",
          cause: error,
        });
      }
      if (!response.ok || response.body === null) {
        await response.body?.cancel();
        throw new MosaicError(`Catalog ${location} answered HTTP ${response.status}.`, {
          hint: "Check the URL; private storage needs a signed (SAS) URL.",
        });
      }
      const stream = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      return { stream, base: { kind: "url", url: response.url || location } };
    },
  };
}
