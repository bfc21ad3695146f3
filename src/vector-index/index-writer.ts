import { copyFile, type FileHandle, open, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MosaicError, UsageError } from "../errors.js";
import { stripRecordCredentials } from "../redact.js";
import { fsyncPath, makeTempSibling, removeDir, swapDirInto } from "./atomic-dir.js";
import { crashPoint } from "./crash-points.js";
import { isSidecarTemp } from "./temp-names.js";
import { assertRecord } from "./check-record.js";
import {
  assertLittleEndianHost,
  FORMAT_NAME,
  FORMAT_VERSION,
  DATA_FILES,
  DBA_FILE,
  MANIFEST_FILE,
  POSTINGS_FILE,
  RAW_FILE,
  RECORDS_FILE,
  TRANSFORM_FILE,
  TRANSFORM_FORMAT_VERSION,
  VECTORS_FILE,
} from "./format.js";
import { compareStrings } from "./compare-strings.js";
import { HashingSink } from "./hashing-sink.js";
import { firstNonFinite, toUnitFloat32 } from "./normalize.js";
import { readDbaScores, readTransform, readVectors } from "./read-index-files.js";
import type {
  IndexColumns,
  IndexFileEntry,
  IndexManifest,
  IndexRecord,
  ModelInfo,
  StoredTransform,
} from "./types.js";

export interface IndexWriterOptions {
  model: ModelInfo;
  /** Facet names to build postings for (filterable fields). */
  facets: readonly string[];
  /** The catalog's column names, recorded in the manifest (see IndexManifest.columns). */
  columns?: IndexColumns | undefined;
  /** Recorded in the manifest (see IndexManifest.imageRoot). */
  imageRoot?: string | undefined;
  /** Clock for manifest.createdAt; injectable for reproducible output. */
  now?: () => Date;
  /**
   * Store records in id order (code-unit order) instead of arrival order. Records and vectors are
   * staged on disk as they arrive and permuted at commit by positional reads, so memory holds only the
   * ids and offsets. Makes the files independent of arrival order: a concurrent featurize run, or N
   * shards merged, produce the same bytes as one sequential run. Not available when appending.
   */
  orderById?: boolean;
  /**
   * Post-processing fitted on the collection (format version 2): `add` takes the model's raw features
   * (model.dim wide, kept in raw.f32) and commit turns all of them into the searchable vectors.
   */
  postprocess?: IndexPostprocess | undefined;
}

/** What an appended-to version-2 index hands its post-processing. */
export interface PostprocessBase {
  count: number;
  /** The base's searchable vectors (count × dim). */
  vectors: Float32Array;
  transform: StoredTransform;
  /** Each base row's k-th DBA neighbour score, when the transform has DBA. */
  kth: Float32Array | undefined;
}

/** Searchable rows plus the transform that produced them, for commit to store. */
export interface PostprocessResult {
  vectors: Float32Array;
  transform: StoredTransform;
  kth?: Float32Array | undefined;
}

/**
 * Turns every raw row of the new version (in final order: the base's rows first when appending) into
 * searchable unit rows. Implemented in model/ (fit, apply, DBA); the writer only stores what it returns.
 */
export interface IndexPostprocess {
  finish(input: {
    raw: Float32Array;
    count: number;
    base?: PostprocessBase | undefined;
  }): Promise<PostprocessResult> | PostprocessResult;
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

  if (options.orderById && base) {
    throw new MosaicError("orderById cannot be combined with appending to an existing index", {
      hint: "Append in arrival order, or rebuild the whole index with orderById.",
    });
  }
  const post = options.postprocess;
  if (base?.manifest.transform && !post) {
    throw new MosaicError(
      `The index at ${base.dir} holds transformed vectors; appending needs its post-processing (raw rows in, searchable rows out)`,
      { hint: "Append through `mosaic featurize --append`, which applies the index's stored transform." },
    );
  }
  // Appending to a version-1 index stays version 1 whatever the caller offers: its rows have no raw copy.
  const transformed = post !== undefined && (base === undefined || base.manifest.transform !== undefined);
  // In transform mode the rows that arrive are raw features: they go to raw.f32, vectors.f32 comes at commit.
  const rowsFile = transformed ? RAW_FILE : VECTORS_FILE;
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
  let staging: Staging | undefined;
  const ids = new Set<string>(base?.ids ?? []);
  let count = base?.manifest.count ?? 0;
  const postings = new Map<string, Map<string, number[]>>(
    facets.map((f) => [f, base?.postings.get(f) ?? new Map()]),
  );
  try {
    vectorsSink = await HashingSink.create(join(tmp, rowsFile));
    sinks.push(vectorsSink);
    recordsSink = await HashingSink.create(join(tmp, RECORDS_FILE));
    sinks.push(recordsSink);
    if (options.orderById) {
      staging = {
        vectors: await HashingSink.create(join(tmp, STAGED_VECTORS)),
        records: await HashingSink.create(join(tmp, STAGED_RECORDS)),
        entries: [],
      };
      sinks.push(staging.vectors, staging.records);
    }
    if (base) {
      await vectorsSink.copyFrom(join(base.dir, rowsFile), base.manifest.files[rowsFile]!);
      await recordsSink.copyFrom(join(base.dir, RECORDS_FILE), base.manifest.files[RECORDS_FILE]!);
    }
  } catch (err) {
    await fail();
    throw err;
  }

  const ensureOpen = (): void => {
    if (closed) throw new MosaicError("Index writer is already committed or aborted");
  };

  /** Appends one record to the final files; its ordinal is the number of records written before it. */
  let written = base?.manifest.count ?? 0;
  const writeFinal = (line: Buffer, vectorBytes: Uint8Array, record: Pick<IndexRecord, "facets">) => {
    const ordinal = written++;
    for (const [facet, byValue] of postings) {
      const value = Object.hasOwn(record.facets, facet) ? record.facets[facet] : undefined;
      if (value === undefined || value === "") continue;
      const list = byValue.get(value);
      if (list) list.push(ordinal);
      else byValue.set(value, [ordinal]);
    }
    return Promise.all([vectorsSink.write(vectorBytes), recordsSink.write(line)]);
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
      count++;
      const unit = new Uint8Array(toUnitFloat32(vector).buffer);
      const line = Buffer.from(`${JSON.stringify(toPlainRecord(record))}\n`, "utf8");
      if (staging === undefined) {
        await writeFinal(line, unit, record);
        return;
      }
      staging.entries.push({ id: record.id, offset: staging.records.size, length: line.byteLength });
      await Promise.all([staging.vectors.write(unit), staging.records.write(line)]);
    },

    async commit() {
      ensureOpen();
      closed = true;
      try {
        if (staging) await replayInIdOrder(staging, dim, writeFinal);
        const files: Record<string, IndexFileEntry> = {};
        files[rowsFile] = await vectorsSink.finish();
        files[RECORDS_FILE] = await recordsSink.finish();
        let transform: StoredTransform | undefined;
        let outDim = dim;
        if (transformed && post) {
          const result = await post.finish({
            raw: await readRowsBack(tmp, rowsFile, files[rowsFile]!, count, dim),
            count,
            base: base && (await postprocessBase(base)),
          });
          transform = result.transform;
          outDim = transform.header.outDim;
          const written: [string, Float32Array][] = [
            [VECTORS_FILE, result.vectors],
            [TRANSFORM_FILE, transform.params],
            ...(result.kth ? ([[DBA_FILE, result.kth]] as [string, Float32Array][]) : []),
          ];
          for (const [name, data] of written) {
            const sink = await HashingSink.create(join(tmp, name));
            sinks.push(sink);
            await sink.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
            files[name] = await sink.finish();
          }
        }
        const postingsSink = await HashingSink.create(join(tmp, POSTINGS_FILE));
        sinks.push(postingsSink);
        await postingsSink.write(Buffer.from(postingsJson(postings), "utf8"));
        files[POSTINGS_FILE] = await postingsSink.finish();
        const manifest: IndexManifest = {
          format: FORMAT_NAME,
          version: transform ? TRANSFORM_FORMAT_VERSION : FORMAT_VERSION,
          createdAt: (options.now ?? (() => new Date()))().toISOString(),
          model,
          dim: outDim,
          count,
          facets,
          normalized: true,
          files,
          ...(options.columns ? { columns: options.columns } : {}),
          ...(options.imageRoot !== undefined ? { imageRoot: options.imageRoot } : {}),
          ...(transform ? { transform: transform.header } : {}),
        };
        if (base) await carrySidecars(base.dir, tmp);
        crashPoint("index-data-written");
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

/** The rows just written to the temp dir, back into memory for the post-processing. */
async function readRowsBack(
  tmp: string,
  name: string,
  entry: IndexFileEntry,
  count: number,
  dim: number,
): Promise<Float32Array> {
  const rows = new Float32Array(count * dim);
  if (entry.bytes !== rows.byteLength)
    throw new MosaicError(`${name} has ${entry.bytes} bytes, not ${rows.byteLength}`);
  const fh = await open(join(tmp, name), "r");
  try {
    await readFully(fh, Buffer.from(rows.buffer), 0);
  } finally {
    await fh.close();
  }
  return rows;
}

/** What an appended-to version-2 index carries forward (its files were checksum-verified on open). */
async function postprocessBase(base: WriterBase): Promise<PostprocessBase> {
  const transform = await readTransform(base.dir, base.manifest, true);
  if (!transform) throw new MosaicError("postprocessBase: the base index has no transform");
  return {
    count: base.manifest.count,
    vectors: await readVectors(base.dir, base.manifest, true),
    transform,
    kth: await readDbaScores(base.dir, base.manifest, true),
  };
}

const STAGED_VECTORS = ".staged-vectors";
const STAGED_RECORDS = ".staged-records";
/** Records read back concurrently during the id-order replay. */
const READ_WINDOW = 256;

/** Records and vectors in arrival order, waiting to be written in id order at commit. */
interface Staging {
  vectors: HashingSink;
  records: HashingSink;
  /** Arrival order; the vector of entry i is at byte i·dim·4 of the staged vectors. */
  entries: { id: string; offset: number; length: number }[];
}

/**
 * Writes the staged records in id order through `writeFinal`, reading each record line and vector back
 * with positional reads, so memory holds one record at a time; then removes the staging files.
 */
async function replayInIdOrder(
  staging: Staging,
  dim: number,
  writeFinal: (
    line: Buffer,
    vectorBytes: Uint8Array,
    record: Pick<IndexRecord, "facets">,
  ) => Promise<unknown>,
): Promise<void> {
  await staging.vectors.finish();
  await staging.records.finish();
  const order = staging.entries.map((_, i) => i);
  order.sort((a, b) => compareStrings(staging.entries[a]!.id, staging.entries[b]!.id));
  const vectorBytes = dim * 4;
  const [vectors, records] = await Promise.all([
    open(staging.vectors.path, "r"),
    open(staging.records.path, "r"),
  ]);
  try {
    // Reads go out a window at a time (the thread pool overlaps them); writes stay in order.
    for (let start = 0; start < order.length; start += READ_WINDOW) {
      const window = order.slice(start, start + READ_WINDOW);
      const loaded = await Promise.all(
        window.map(async (i) => {
          const entry = staging.entries[i]!;
          const vector = Buffer.allocUnsafe(vectorBytes);
          const line = Buffer.allocUnsafe(entry.length);
          await Promise.all([
            readFully(vectors, vector, i * vectorBytes),
            readFully(records, line, entry.offset),
          ]);
          return { vector, line };
        }),
      );
      for (const { vector, line } of loaded) {
        const record = JSON.parse(line.toString("utf8")) as Pick<IndexRecord, "facets">;
        await writeFinal(line, vector, record);
      }
    }
  } finally {
    await Promise.all([vectors.close(), records.close()]);
  }
  await Promise.all([rm(staging.vectors.path), rm(staging.records.path)]);
}

async function readFully(fh: FileHandle, into: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < into.byteLength) {
    const { bytesRead } = await fh.read(into, done, into.byteLength - done, position + done);
    if (bytesRead === 0)
      throw new MosaicError("Staged index data ended early; the temp directory was changed");
    done += bytesRead;
  }
}

/** Only the four known fields go to disk, in a fixed key order, whatever else the caller's object has. */
function toPlainRecord(r: IndexRecord): IndexRecord {
  // Credentials (SAS signatures, tokens) of image URLs are used to download, never stored.
  return stripRecordCredentials({ id: r.id, image: r.image, facets: r.facets, meta: r.meta });
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

/** Written per run by featurize; an appended version describes its own run, not the base's. */
const RUN_REPORT = "failures.jsonl";

/**
 * Files other tools keep beside the index (the search graph, a ball tree) go along into the appended
 * version, so their owners can extend them instead of rebuilding; each one validates itself against the
 * index it finds (a graph checks the rows it covers, a tree carries the vectors' checksum in its name).
 */
async function carrySidecars(from: string, to: string): Promise<void> {
  const own = new Set<string>([...DATA_FILES, RAW_FILE, TRANSFORM_FILE, DBA_FILE, MANIFEST_FILE, RUN_REPORT]);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    // A sidecar's temp file is a crash leftover, never part of the index to carry forward.
    if (entry.isFile() && !own.has(entry.name) && !entry.name.startsWith(".") && !isSidecarTemp(entry.name)) {
      await copyFile(join(from, entry.name), join(to, entry.name));
    }
  }
}
