import path from "node:path";
import { blobAccessFor, resolveIndexDir } from "../blob/blob-index-location.js";
import { createBlobImageReader } from "../blob/blob-image-reader.js";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { decodeImage } from "../images/decode.js";
import { createImageFetcher } from "../images/image-fetcher.js";
import { loadIndex } from "../index/load-index.js";
import { openEngine } from "../search/open-engine.js";
import type { Filter } from "../index/types.js";
import { openIndexModel } from "../model/open-index-model.js";
import { type QueryResult, query } from "./query.js";

export interface RunQueryOptions {
  image?: string | undefined;
  id?: string | undefined;
  n: number;
  filter: Filter;
}

/** `mosaic query`: load the index and (for an image) the model that built it, then run one query. */
export async function runQuery(
  ctx: Context,
  options: RunQueryOptions,
): Promise<{ result: QueryResult; facets: string[] }> {
  const { config, reporter } = ctx;
  if (!options.image === !options.id) {
    throw new UsageError("Give either an image (path or URL) or --id, not both or neither", {
      hint: "e.g. `mosaic query painting.jpg --culture Japanese` or `mosaic query --id 436535`.",
    });
  }
  const blob = blobAccessFor(ctx);
  const indexDir = await resolveIndexDir(ctx, blob);
  const index = await (reporter.step?.("Loading index", () => loadIndex(indexDir)) ?? loadIndex(indexDir));
  const facets = index.manifest.facets;
  const engineFor = () => {
    const engine = openEngine(index, indexDir, config.engine, (text) => reporter.note?.(text));
    return (v: Float32Array, o: Parameters<typeof engine.search>[1]) => engine.search(v, o);
  };
  if (options.id)
    return {
      result: await query(
        { target: { id: options.id }, n: options.n, filter: options.filter },
        { index, search: engineFor() },
      ),
      facets,
    };

  const embedder = await openIndexModel(index.manifest, {
    model: config.model,
    modelPreset: config.modelPreset,
    preprocess: config.preprocess,
    cacheDir: ctx.cacheDir,
    threads: config.threads,
    reporter,
    device: config.device,
    precision: config.precision,
  });
  const fetcher = createImageFetcher(
    {
      timeoutMs: config.fetch.timeoutMs,
      maxBytes: config.fetch.maxBytes,
      attempts: config.fetch.retries + 1,
    },
    { blobReader: createBlobImageReader(blob) },
  );
  try {
    const image = /^(?:https?|az):\/\//i.test(options.image as string)
      ? (options.image as string)
      : path.resolve(ctx.cwd, options.image as string);
    const result = await query(
      { target: { image }, n: options.n, filter: options.filter },
      {
        index,
        fetchImage: (ref) => fetcher.fetch(ref, ctx.signal),
        decodeImage: (buf, spec) => decodeImage(buf, spec),
        embedder,
        search: engineFor(),
      },
    );
    return { result, facets };
  } finally {
    fetcher.close();
    await embedder.close();
  }
}
