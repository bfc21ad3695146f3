import path from "node:path";
import { loadConfig } from "../config/load-config.js";
import type { MosaicConfigInput } from "../config/schema.js";
import type { FeaturizeSummary, JobEvent, Reporter } from "../contracts/events.js";
import { type QueryResult, query } from "../query/query.js";
import type { EngineKind } from "../search/types.js";
import type { Filter, IndexManifest } from "../vector-index/types.js";
import { type Context, defaultCacheDir } from "./context.js";
import { openFileIndex } from "./open-index.js";
import { runFeaturize } from "./run-featurize.js";
import { runQuery } from "./run-query.js";

/** What a library call runs in: the CLI's context without a terminal (no stdout, a silent reporter). */
export interface RuntimeOptions {
  /** Relative paths resolve here; default process.cwd(). A mosaic.config.* here is read, as the CLI does. */
  cwd?: string;
  /** MOSAIC_* settings and credentials; default process.env. */
  env?: Record<string, string | undefined>;
  /** Hears every event of the job (progress, failures, done). */
  onEvent?: (event: JobEvent) => void;
  signal?: AbortSignal;
}

const discard = { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream;

async function libraryContext(options: RuntimeOptions, flags: Record<string, unknown>): Promise<Context> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const signal = options.signal ?? new AbortController().signal;
  const loaded = await loadConfig({ cwd, env, flags });
  const reporter: Reporter = {
    emit: (event) => options.onEvent?.(event),
    step: (_label, work) => work(),
    note: () => {},
    close: () => {},
  };
  const io = { stdout: discard, stderr: discard, cwd, env, signal } as unknown as Context["io"];
  return {
    config: loaded.config,
    configFile: loaded.file,
    configSources: loaded.sources,
    configWarnings: loaded.warnings,
    cacheDir: path.resolve(cwd, loaded.config.cacheDir ?? defaultCacheDir(env)),
    cwd,
    json: false,
    verbose: false,
    color: false,
    interactive: false,
    reporter,
    out: () => {},
    signal,
    io,
  };
}

export interface FeaturizeCatalogOptions extends RuntimeOptions, Omit<MosaicConfigInput, "index"> {
  /** The catalog: a CSV/TSV/JSONL file, an http(s) URL or a blob location. */
  catalog: string;
  /** The index directory to write. */
  out: string;
  /** Add the catalog's new rows to an existing index instead of replacing it. */
  append?: boolean;
}

/**
 * Featurizes a catalog into an index directory, exactly as `mosaic featurize --catalog … --out …` does,
 * with the embedded default model unless `model`/`modelPreset` say otherwise.
 */
export async function featurizeCatalog(options: FeaturizeCatalogOptions): Promise<FeaturizeSummary> {
  const { cwd, env, onEvent, signal, out, append, ...config } = options;
  const ctx = await libraryContext({ cwd, env, onEvent, signal }, { ...config, index: out });
  const { summary } = await runFeaturize(ctx, { dryRun: false, append: append === true });
  return summary;
}

export interface IndexSearchOptions {
  /** How many hits (default 10). */
  n?: number;
  /** Facet filter: AND across fields, OR within one, e.g. { culture: ["Japanese"] }. */
  filter?: Filter;
}

export interface OpenedIndex {
  readonly manifest: IndexManifest;
  /** More like an indexed artwork ({ id }) or like an image file or URL ({ image }), filtered by facet. */
  search(target: { id: string } | { image: string }, options?: IndexSearchOptions): Promise<QueryResult>;
}

/**
 * Opens an index directory for searching with the engine `mosaic query` uses ("auto": the planner picks
 * an exact scan or the HNSW graph per query). Image targets load the model that built the index.
 */
export async function openIndex(
  dir: string,
  options: RuntimeOptions & { engine?: EngineKind } = {},
): Promise<OpenedIndex> {
  const { engine = "auto", ...runtime } = options;
  const indexDir = path.resolve(runtime.cwd ?? process.cwd(), dir);
  const opened = await openFileIndex(indexDir, engine);
  const { index } = opened;
  opened.engine();
  return {
    manifest: index.manifest,
    async search(target, { n = 10, filter = {} } = {}) {
      if ("id" in target) {
        return query({ target, n, filter }, { index, search: (v, o) => opened.engine().search(v, o) });
      }
      const ctx = await libraryContext(runtime, { index: indexDir, engine });
      return (await runQuery(ctx, { image: target.image, n, filter })).result;
    },
  };
}
