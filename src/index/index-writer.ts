import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MosaicError, UsageError } from "../errors.js";
import { fsyncPath, makeTempSibling, removeDir, swapDirInto } from "./atomic-dir.js";
import { assertRecord } from "./check-record.js";
import {
  assertLittleEndianHost,
  FORMAT_NAME,
  FORMAT_VERSION,
  MANIFEST_FILE,
  POSTINGS_FILE,
  RECORDS_FILE,
  VECTORS_FILE,
} from "./format.js";
import { compareStrings } from "./compare-strings.js";
import { HashingSink } from "./hashing-sink.js";
import { firstNonFinite, toUnitFloat32 } from "./normalize.js";
import type { IndexFileEntry, IndexManifest, IndexRecord, ModelInfo } from "./types.js";

export interface IndexWriterOptions {
  model: ModelInfo;
  /** Facet names to build postings for (filterable fields). */
  facets: readonly string[];
  /** Clock for manifest.createdAt; injectable for reproducible output. */
  now?: () => Date;
}

/**
 * Streams records and vectors into a new index version. Vectors go to disk as they arrive, so a
 * million 1024-d vectors never sit in a JS array. Nothing is visible at `dir` until commit().
 */
export interface IndexWriter {
  readonly dim: number;
  /** Records added so far (including any base index being appended to). */
  readonly count: number;
  /** Adds one record; the vector is L2-normalized here. Rejects duplicate ids and wrong dims. */
  add(record: IndexRecord, vector: ArrayLike<number>): Promise<void>;
  /** Writes postings and the manifest, fsyncs, and atomically replaces `dir`. */
  commit(): Promise<IndexManifest>;
  /** Discards everything written; `dir` is untouched and the temp dir removed. */
  abort(): Promise<void>;
}

/** An existing index the new version starts from (used by appendToIndex). */
export interface WriterBase {
  dir: string;
  manifest: IndexManifest;
  ids: Iterable<string>;
  postings: Map<string, Map<string, number[]>>;
}

/** Starts a new index at `dir`; see {@link IndexWriter}. */
export function createIndexWriter(dir: string, options: IndexWriterOptions): Promise<IndexWriter> {
  return openIndexWriter(dir, options);
}

export async function openIndexWriter(
  dir: string,
  options: IndexWriterOptions,
  base?: WriterBase,
): Promise<IndexWriter> {
  assertLittleEndianHost();
  const { model } = options;
  const dim = model.dim;
  if (!Number.isInteger(dim) || dim <= 0) {
    throw new UsageError(`Model ${model.id} has invalid dim ${dim}`, {
      hint: "dim must be a positive integer.",
    });
  }
  const facets = [...options.facets];
  if (new Set(facets).size !== facets.length || facets.some((f) => f === "")) {
    throw new UsageError(`Facet names must be unique and non-empty (got ${JSON.stringify(facets)})`);
  }

  const tmp = await makeTempSibling(dir);
  const sinks: HashingSink[] = [];
  let closed = false;
  const fail = async (): Promise<void> => {
    closed = true;
    await Promise.all(sinks.map((s) => s.discard()));
    await removeDir(tmp);
  };

  let vectorsSink: HashingSink;
  let recordsSink: HashingSink;
  const ids = new Set<string>(base?.ids ?? []);
  let count = base?.manifest.count ?? 0;
  const postings = new Map<string, Map<string, number[]>>(
    facets.map((f) => [f, base?.postings.get(f) ?? new Map()]),
  );
  try {
    vectorsSink = await HashingSink.create(join(tmp, VECTORS_FILE));
    sinks.push(vectorsSink);
    recordsSink = await HashingSink.create(join(tmp, RECORDS_FILE));
    sinks.push(recordsSink);
    if (base) {
      await vectorsSink.copyFrom(join(base.dir, VECTORS_FILE), base.manifest.files[VECTORS_FILE]!);
      await recordsSink.copyFrom(join(base.dir, RECORDS_FILE), base.manifest.files[RECORDS_FILE]!);
    }
  } catch (err) {
    await fail();
    throw err;
  }

  const ensureOpen = (): void => {
    if (closed) throw new MosaicError("Index writer is already committed or aborted");
  };

  return {
    dim,
    get count() {
      return count;
    },

    async add(record, vector) {
      ensureOpen();
      assertRecord(record, count);
      if (vector.length !== dim) {
        throw new UsageError(
          `Vector for ${record.id} has ${vector.length} dimensions; the index has ${dim}`,
          {
            hint: `Every vector must come from model ${model.id} (dim ${dim}).`,
          },
        );
      }
      const bad = firstNonFinite(vector);
      if (bad >= 0) {
        throw new UsageError(`Vector for ${record.id} has a non-finite value at [${bad}]`, {
          hint: "The model produced NaN/Infinity; check the image and the model's preprocessing.",
        });
      }
      if (ids.has(record.id)) {
        throw new UsageError(`Duplicate record id ${JSON.stringify(record.id)}`, {
          hint: "Ids must be unique within an index; dedupe the catalog or use another id column.",
        });
      }
      ids.add(record.id);
      const ordinal = count++;
      for (const [facet, byValue] of postings) {
        const value = Object.hasOwn(record.facets, facet) ? record.facets[facet] : undefined;
        if (value === undefined || value === "") continue;
        const list = byValue.get(value);
        if (list) list.push(ordinal);
        else byValue.set(value, [ordinal]);
      }
      const unit = toUnitFloat32(vector);
      const line = Buffer.from(`${JSON.stringify(toPlainRecord(record))}\n`, "utf8");
      await Promise.all([vectorsSink.write(new Uint8Array(unit.buffer)), recordsSink.write(line)]);
    },

    async commit() {
      ensureOpen();
      closed = true;
      try {
        const files: Record<string, IndexFileEntry> = {};
        files[VECTORS_FILE] = await vectorsSink.finish();
        files[RECORDS_FILE] = await recordsSink.finish();
        const postingsSink = await HashingSink.create(join(tmp, POSTINGS_FILE));
        sinks.push(postingsSink);
        await postingsSink.write(Buffer.from(postingsJson(postings), "utf8"));
        files[POSTINGS_FILE] = await postingsSink.finish();
        const manifest: IndexManifest = {
          format: FORMAT_NAME,
          version: FORMAT_VERSION,
          createdAt: (options.now ?? (() => new Date()))().toISOString(),
          model,
          dim,
          count,
          facets,
          normalized: true,
          files,
        };
        // The manifest goes last: its presence marks a complete index.
        const manifestPath = join(tmp, MANIFEST_FILE);
        await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { flag: "wx" });
        await fsyncPath(manifestPath);
        await swapDirInto(tmp, dir);
        return manifest;
      } catch (err) {
        await fail();
        throw err;
      }
    },

    async abort() {
      if (closed) return;
      await fail();
    },
  };
}

/** Only the four known fields go to disk, in a fixed key order, whatever else the caller's object has. */
function toPlainRecord(r: IndexRecord): IndexRecord {
  return { id: r.id, image: r.image, facets: r.facets, meta: r.meta };
}

/** Values sorted so the file is deterministic whatever order records arrived in. */
function postingsJson(postings: Map<string, Map<string, number[]>>): string {
  // Null-prototype objects: a facet value like "__proto__" must stay an ordinary key.
  const out: Record<string, Record<string, number[]>> = Object.create(null);
  for (const [facet, byValue] of postings) {
    const values: Record<string, number[]> = Object.create(null);
    for (const value of [...byValue.keys()].sort(compareStrings)) values[value] = byValue.get(value)!;
    out[facet] = values;
  }
  return JSON.stringify(out);
}
