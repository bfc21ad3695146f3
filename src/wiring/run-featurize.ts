import { existsSync } from "node:fs";
import { appendFile, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { blobAccessFor, blobIndexTarget } from "./blob-index-location.js";
import { createBlobImageReader } from "../blob/blob-image-reader.js";
import { catalogSourcesWithBlob } from "../blob/catalog-sources.js";
import { redact } from "../redact.js";
import { countCatalogRows } from "../catalog/count-rows.js";
import { readCatalog } from "../catalog/read-catalog.js";
import { imageDirOf, storedImageRef } from "../vector-index/stored-image.js";
import type { Shard } from "../catalog/shard.js";
import type { Context } from "./context.js";
import { modelSessionOptions } from "./model-options.js";
import { UsageError } from "../errors.js";
import { configureDecoding, decodePixels } from "../images/decode.js";
import { createDecodePool, type DecodePool } from "../images/decode-pool.js";
import { createGpuPoller } from "../infra/gpu-probe.js";
import { createImageFetcher } from "../images/image-fetcher.js";
import { openAppendWriter } from "../vector-index/append-to-index.js";
import { createIndexWriter } from "../vector-index/index-writer.js";
import { readManifest } from "../vector-index/read-manifest.js";
import type { IndexManifest } from "../vector-index/types.js";
import { collectionPostprocess } from "../model/collection-postprocess.js";
import { recoverIndexDir } from "../vector-index/atomic-dir.js";
import { type CrashPoint, setCrashHook } from "../vector-index/crash-points.js";
import { modelFromConfig } from "../model/model-from-config.js";
import { defaultPixelFormat } from "../model/embedder.js";
import { openModel } from "../model/open-model.js";
import { ensureSampleCollection } from "../sample/sample-collection.js";
import { buildGraph } from "../search/build-graph.js";
import { GRAPH_MIN_COUNT } from "../search/open-engine.js";
import { type FailedRow, type FeaturizeResult, type IndexSink, featurize } from "../featurize/featurize.js";

export interface RunFeaturizeOptions {
  dryRun: boolean;
  /** Featurize only this slice of the catalog (by id hash) into a partial index; see `mosaic index merge`. */
  shard?: Shard | undefined;
  /** Add the catalog's new rows to the existing index (same model) instead of replacing it. */
  append?: boolean;
  /** Hosts and ranges a remote catalog's images may reach although they are not public (as serve's). */
  allowHosts?: string[];
  allowCidrs?: string[];
}

const isUrl = (s: string) => /^(?:https?|az):\/\//i.test(s);

/** `mosaic featurize`: wires the real catalog reader, fetcher, decoder, model and index writer into the pipeline. */
export async function runFeaturize(ctx: Context, options: RunFeaturizeOptions): Promise<FeaturizeResult> {
  const { config, reporter, cacheDir, signal } = ctx;
  const step = <T>(label: string, work: () => Promise<T>) => reporter.step(label, work);
  const catalog = config.catalog
    ? isUrl(config.catalog)
      ? config.catalog
      : path.resolve(ctx.cwd, config.catalog)
    : (await step("Preparing the built-in sample collection", () => ensureSampleCollection(cacheDir)))
        .catalog;
  // A local catalog's rows are counted up front, so progress has totals (and an ETA) from the start.
  const counted = isUrl(catalog) ? undefined : await countCatalogRows(catalog, config.format, signal);
  const expectedRows =
    counted === undefined
      ? null
      : Math.min(
          options.shard ? Math.ceil(counted / options.shard.count) : counted,
          config.limit ?? Number.POSITIVE_INFINITY,
        );
  const blob = blobAccessFor(ctx);
  // A blob --out is built locally (in the cache) and published once complete.
  const blobOut = blobIndexTarget(ctx, blob);
  const outDir = blobOut?.localDir ?? path.resolve(ctx.cwd, config.index);
  const plan = modelFromConfig(config);
  // A killed earlier run may have left temp dirs or a half-done swap: settle them before anything else.
  armCrashHook(ctx.io.env.MOSAIC_CRASH_AT);
  if (!options.dryRun) {
    for (const action of (await recoverIndexDir(outDir)).actions) reporter.note(`note: ${action}`);
  }
  configureDecoding();
  // Many-core (GPU) boxes decode on worker threads; on small machines the main thread keeps up.
  const cores = availableParallelism();
  const decodeWorkers = config.decodeWorkers ?? (cores >= 4 ? cores - 1 : 0);

  const fetcher = createImageFetcher(
    {
      timeoutMs: config.fetch.timeoutMs,
      attempts: config.fetch.retries + 1,
      maxBytes: config.fetch.maxBytes,
      concurrency: config.concurrency,
      cacheDir: path.join(cacheDir, "images"),
      ...imageAddressPolicy(config.catalog, options),
    },
    { blobReader: createBlobImageReader(blob) },
  );
  const entries = readCatalog(
    catalog,
    {
      format: config.format,
      idColumn: config.columns.id,
      imageColumns: config.columns.image,
      facets: config.columns.facets,
      limit: config.limit,
      ...(options.shard ? { shard: options.shard } : {}),
      signal,
    },
    { sources: catalogSourcesWithBlob(blob) },
  );

  // Worker threads (model, decoders) keep the process alive: everything opened below closes in `finally`.
  let embedder: Awaited<ReturnType<typeof openModel>> | undefined;
  let sink: IndexSink | undefined;
  let pool: DecodePool | undefined;
  let known: ReadonlySet<string> | undefined;
  const poller = createGpuPoller({ onSample: (event) => reporter.emit(event), env: ctx.io.env });
  try {
    if (!options.dryRun) {
      // The model input form (uint8 / float32 pixels) is featurize's setting only.
      embedder = await openModel(plan, { ...modelSessionOptions(ctx), pixels: config.pixels });
      const base = options.append ? await existingIndex(outDir, plan.id, blobOut !== undefined) : undefined;
      const postprocess = plan.transform
        ? collectionPostprocess(plan.transform, { onNote: (text) => reporter.note(text) })
        : undefined;
      const appending = base ? await openAppendWriter(outDir, base, { postprocess }) : undefined;
      // Local image files are stored relative to the catalog's directory (an appended index keeps its root).
      const catalogDir = isUrl(catalog) ? undefined : path.dirname(catalog);
      // An index from before imageRoot keeps absolute paths: its manifest has nothing to resolve against.
      const imageDir = base ? imageDirOf(outDir, base) : catalogDir;
      const imageRoot =
        catalogDir === undefined ? undefined : path.relative(path.resolve(outDir), catalogDir) || ".";
      known = appending?.existingIds;
      const writer =
        appending ??
        (await createIndexWriter(outDir, {
          // The embedder's spec: an .onnx model without a preset fixes its own input size.
          model: { id: plan.id, dim: embedder.dim, preprocess: embedder.spec },
          postprocess,
          facets: Object.keys(config.columns.facets),
          columns: { id: config.columns.id, facets: config.columns.facets },
          imageRoot,
          // Completion order varies with concurrency; id order makes the files reproducible (and shards mergeable).
          orderById: true,
        }));
      sink = {
        add: (a, vector) =>
          writer.add(
            { id: a.id, image: storedImageRef(a.image, imageDir), facets: a.facets, meta: a.meta },
            vector,
          ),
        commit: async () => void (await writer.commit()),
        abort: () => writer.abort(),
      };
    }
    if (decodeWorkers > 0) pool = await createDecodePool(decodeWorkers);
    // GPU (or, without one, process CPU/RSS) samples for the dashboard, once a second while the job runs.
    poller.start();
    const result = await featurize(
      {
        catalogLabel: config.catalog ? redact(config.catalog) : "built-in sample collection (synthetic)",
        spec: embedder?.spec ?? plan.spec,
        engine: {
          model: plan.preset,
          // The device that actually runs the model (`auto` resolves while opening it).
          device: embedder?.selection.device ?? config.device,
          batchSize: config.batchSize,
          threads: config.threads > 0 ? config.threads : availableParallelism(),
        },
        batchSize: config.batchSize,
        concurrency: config.concurrency,
        outDir: options.dryRun ? null : outDir,
        known,
        expectedRows,
        // A dry run decodes to what the model would take on that device, so it measures the same work.
        pixels: config.pixels === "auto" ? defaultPixelFormat(config.device) : config.pixels,
      },
      {
        reporter,
        catalog: entries,
        fetchImage: (ref, s) => fetcher.fetch(ref, s),
        decodeImage: (buf, spec, pixels) =>
          pool ? pool.decode(buf, spec, { pixels }) : decodePixels(buf, spec, { pixels }),
        embedder,
        sink,
        now: () => Date.now(),
        signal,
      },
    );
    if (!options.dryRun) {
      await writeFailures(outDir, result.failures);
      // Big indexes get their HNSW graph now, so the first broad query does not pay for building it.
      if (result.summary.indexed >= GRAPH_MIN_COUNT)
        await step("Building the search graph", () => buildGraph(outDir));
    }
    if (!options.dryRun && blobOut) {
      await blobOut.publish();
      result.summary.outDir = blobOut.display;
    }
    return result;
  } finally {
    poller.stop();
    await pool?.close();
    fetcher.close();
    await embedder?.close();
    await sink?.abort().catch(() => undefined);
  }
}

/** Every row that did not make it into the index, one JSON object per line, beside the index. */
async function writeFailures(outDir: string, failures: FailedRow[]): Promise<void> {
  const file = path.join(outDir, "failures.jsonl");
  await writeFile(file, "");
  if (failures.length > 0) await appendFile(file, `${failures.map((f) => JSON.stringify(f)).join("\n")}\n`);
}

/** The index `--append` adds to, or undefined when there is none yet (then append is a plain first run). */
async function existingIndex(
  dir: string,
  modelId: string,
  blob: boolean,
): Promise<IndexManifest | undefined> {
  if (blob) {
    throw new UsageError("--append works on a local index directory", {
      hint: "Pull the index (mosaic index pull), append locally, then push it (mosaic index push).",
    });
  }
  if (!existsSync(path.join(dir, "manifest.json"))) return undefined;
  const manifest = await readManifest(dir);
  if (manifest.model.id !== modelId) {
    throw new UsageError(
      `--append: the index at ${dir} holds "${manifest.model.id}" features, not "${modelId}"`,
      {
        hint: "Append with the model that built the index (--model), or write a new index without --append.",
      },
    );
  }
  return manifest;
}

/**
 * Tests only: MOSAIC_CRASH_AT=<point> SIGKILLs this process at that point of the index write path
 * (test/reliability/crash-recovery.test.ts); unset, nothing is armed.
 */
function armCrashHook(point: string | undefined): void {
  if (!point) return;
  setCrashHook((at: CrashPoint) => {
    if (at === point) process.kill(process.pid, "SIGKILL");
  });
}

/**
 * Someone else's catalog (http(s)) gets serve's SSRF guard: its images may not reach loopback, private,
 * link-local (cloud metadata) or other non-public addresses, redirects included, unless allowed. Its own
 * host stays reachable (a catalog on an intranet server may name images beside it). A local catalog file
 * is the user's own, as trusted as the local paths it may name.
 */
function imageAddressPolicy(
  catalog: string | undefined,
  options: RunFeaturizeOptions,
): { blockPrivate: boolean; allowHosts: string[]; allowCidrs: string[] } {
  const remote = catalog !== undefined && /^https?:\/\//i.test(catalog) && URL.canParse(catalog);
  const own = remote ? [new URL(catalog).hostname.replace(/^\[|\]$/g, "")] : [];
  return {
    blockPrivate: remote,
    allowHosts: [...own, ...(options.allowHosts ?? [])],
    allowCidrs: options.allowCidrs ?? [],
  };
}
