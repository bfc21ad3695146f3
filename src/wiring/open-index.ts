import { connectPg } from "../pgvector/connect-pg.js";
import { isPgLocation, parsePgLocation } from "../pgvector/pg-location.js";
import { openPgStore, type PgStore } from "../pgvector/pg-store.js";
import { openEngine } from "../search/open-engine.js";
import type { EngineKind, SearchEngine } from "../search/types.js";
import { loadIndex } from "../vector-index/load-index.js";
import { imageDirOf } from "../vector-index/stored-image.js";
import type { VectorIndex } from "../vector-index/types.js";
import { resolveIndexDir } from "./blob-index-location.js";
import type { Context } from "./context.js";

/** An index directory loaded into memory, with the search engine opened on first use. */
export interface OpenedFileIndex {
  kind: "file";
  index: VectorIndex;
  indexDir: string;
  /** Where the records' relative image paths are read from (the catalog's directory). */
  imageDir: string | undefined;
  /** The engine (for big indexes the HNSW graph is built or loaded here), opened once. */
  engine(): SearchEngine;
  close(): Promise<void>;
}

/** A pgvector table, searched in PostgreSQL; close() ends its connection. */
export interface OpenedPgIndex {
  kind: "pg";
  store: PgStore;
  close(): Promise<void>;
}

export type SearchableIndex = OpenedFileIndex | OpenedPgIndex;

/**
 * Loads the index directory `indexDir` for searching with `engine`. `onNotice` hears about damaged caches
 * (graph, ball tree) being rebuilt.
 */
export async function openFileIndex(
  indexDir: string,
  engine: EngineKind,
  onNotice?: (text: string) => void,
): Promise<OpenedFileIndex> {
  return fileIndexOver(await loadIndex(indexDir), indexDir, engine, onNotice);
}

function fileIndexOver(
  index: VectorIndex,
  indexDir: string,
  kind: EngineKind,
  onNotice?: (text: string) => void,
): OpenedFileIndex {
  let engine: SearchEngine | undefined;
  return {
    kind: "file",
    index,
    indexDir,
    imageDir: imageDirOf(indexDir, index.manifest),
    engine: () => {
      engine ??= openEngine(index, indexDir, kind, onNotice);
      return engine;
    },
    close: async () => engine?.close(),
  };
}

export interface OpenIndexOptions {
  /** Show loading a file index as a reporter step ("Loading index"). */
  loadingStep?: boolean;
}

/**
 * The index query and serve read, from `config.index`: a postgres:// table, or a directory (a blob
 * prefix is first brought up to date in its local cache) loaded with the configured engine.
 */
export async function openConfiguredIndex(
  ctx: Context,
  options: OpenIndexOptions = {},
): Promise<SearchableIndex> {
  const { config, reporter } = ctx;
  if (isPgLocation(config.index)) {
    const location = parsePgLocation(config.index, ctx.io.env);
    const sql = connectPg(location);
    try {
      const open = () => openPgStore(sql, location.table, config.engine);
      const store = await reporter.step(`Opening ${location.display}`, open);
      return { kind: "pg", store, close: () => store.close() };
    } catch (error) {
      await sql.close();
      throw error;
    }
  }
  const indexDir = await resolveIndexDir(ctx);
  const load = () => loadIndex(indexDir);
  const index = await (options.loadingStep ? reporter.step("Loading index", load) : load());
  return fileIndexOver(index, indexDir, config.engine, (text) => reporter.note(text));
}
