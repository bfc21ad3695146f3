import path from "node:path";
import { createBlobImageReader } from "../blob/blob-image-reader.js";
import { blobAccessFor } from "./blob-index-location.js";
import type { Context } from "./context.js";
import { indexModelOptions } from "./model-options.js";
import { openConfiguredIndex } from "./open-index.js";
import { UsageError } from "../errors.js";
import { decodeImage } from "../images/decode.js";
import { createImageFetcher } from "../images/image-fetcher.js";
import type { Filter, IndexManifest, StoredTransform } from "../vector-index/types.js";
import { openIndexModel } from "../model/open-index-model.js";
import { type QueryPorts, type QueryResult, query } from "../query/query.js";
import { queryPg } from "../query/query-pg.js";

export interface RunQueryOptions {
  image?: string | undefined;
  id?: string | undefined;
  n: number;
  filter: Filter;
}

type ImagePorts = Required<Pick<QueryPorts, "fetchImage" | "decodeImage" | "embedder">>;

/**
 * `mosaic query`: open the index (a directory, a blob prefix or a postgres:// table) and, for an image, the
 * model that built it, then run one query.
 */
export async function runQuery(
  ctx: Context,
  options: RunQueryOptions,
): Promise<{
  result: QueryResult;
  facets: string[];
  /** Where the records' relative image paths are read from (the catalog's directory). */
  imageDir?: string | undefined;
}> {
  if (!options.image === !options.id) {
    throw new UsageError("Give either an image (path or URL) or --id, not both or neither", {
      hint: "e.g. `mosaic query painting.jpg --culture Japanese` or `mosaic query --id 436535`.",
    });
  }
  const request = (target: { id: string } | { image: string }) => ({
    target,
    n: options.n,
    filter: options.filter,
  });
  const imageRef = (raw = options.image as string): string =>
    /^(?:https?|az):\/\//i.test(raw) ? raw : path.resolve(ctx.cwd, raw);
  const target = (): { id: string } | { image: string } =>
    options.id ? { id: options.id } : { image: imageRef() };

  const opened = await openConfiguredIndex(ctx, { loadingStep: true });
  try {
    if (opened.kind === "pg") {
      const { store } = opened;
      const facets = store.manifest.facets;
      if (options.id) return { result: await queryPg(request(target()), { store }), facets };
      return {
        result: await withImagePorts(
          ctx,
          store.manifest,
          imageRef(),
          (ports) => queryPg(request(target()), { store, ...ports }),
          store.transform,
        ),
        facets,
      };
    }
    const { index, imageDir } = opened;
    const facets = index.manifest.facets;
    const search: QueryPorts["search"] = (v, o) => opened.engine().search(v, o);
    if (options.id) return { result: await query(request(target()), { index, search }), facets, imageDir };
    return {
      result: await withImagePorts(
        ctx,
        index.manifest,
        imageRef(),
        (ports) => query(request(target()), { index, ...ports, search }),
        index.transform,
      ),
      facets,
      imageDir,
    };
  } finally {
    await opened.close();
  }
}

/**
 * The model that built the index, and the image fetcher and decoder, for the length of `work`. The query
 * image is read and decoded first: a missing, unreadable or non-image file (or a 404 URL) fails at once
 * instead of after the model has loaded (seconds, or a conversion on first use).
 */
async function withImagePorts<T>(
  ctx: Context,
  manifest: IndexManifest,
  image: string,
  work: (ports: ImagePorts) => Promise<T>,
  transform?: StoredTransform,
): Promise<T> {
  const { config } = ctx;
  const fetcher = createImageFetcher(
    {
      timeoutMs: config.fetch.timeoutMs,
      maxBytes: config.fetch.maxBytes,
      attempts: config.fetch.retries + 1,
    },
    { blobReader: createBlobImageReader(blobAccessFor(ctx)) },
  );
  try {
    const bytes = await fetcher.fetch(image, ctx.signal);
    const pixels = await decodeImage(bytes, manifest.model.preprocess);
    const embedder = await openIndexModel(manifest, indexModelOptions(ctx), transform);
    try {
      // The query core asks for the image again: hand it what was already read and decoded.
      return await work({
        fetchImage: async (ref) => (ref === image ? bytes : fetcher.fetch(ref, ctx.signal)),
        decodeImage: async (buf, spec) =>
          buf === bytes && spec === manifest.model.preprocess ? pixels : decodeImage(buf, spec),
        embedder,
      });
    } finally {
      await embedder.close();
    }
  } finally {
    fetcher.close();
  }
}
