import { createHash } from "node:crypto";
import { open, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { MosaicError } from "../errors.js";
import { mayHoldCredentials, stripRecordCredentials } from "../redact.js";
import { recordProblem } from "./check-record.js";
import {
  DBA_FILE,
  POSTINGS_FILE,
  RAW_FILE,
  REBUILD_HINT,
  RECORDS_FILE,
  TRANSFORM_FILE,
  transformParamCount,
  VECTORS_FILE,
} from "./format.js";
import type { IndexManifest, IndexRecord, Postings, StoredTransform } from "./types.js";

/** Reads stay under V8's per-call limit and keep progress granular. */
const READ_CHUNK = 64 << 20;

function corrupt(path: string, why: string): MosaicError {
  return new MosaicError(`Index file ${path} ${why}`, { hint: REBUILD_HINT });
}

/** Size check first: it is free and catches truncation before any hashing. */
export async function checkFileSize(dir: string, manifest: IndexManifest, name: string): Promise<string> {
  const path = join(dir, name);
  const expected = manifest.files[name]!.bytes;
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") throw corrupt(path, "is missing");
    throw err;
  });
  if (info.size !== expected) {
    throw corrupt(path, `is ${info.size} bytes but the manifest says ${expected} (truncated or modified)`);
  }
  return path;
}

function checkDigest(path: string, got: string, manifest: IndexManifest, name: string): void {
  const want = manifest.files[name]!.sha256;
  if (got !== want) {
    throw corrupt(path, `is corrupt: its sha256 is ${got} but the manifest recorded ${want}`);
  }
}

/** vectors.f32 straight into a Float32Array (little-endian host asserted by the caller). */
export function readVectors(dir: string, manifest: IndexManifest, verify: boolean): Promise<Float32Array> {
  return readFloats(dir, manifest, VECTORS_FILE, manifest.count * manifest.dim, verify);
}

/** raw.f32 of a version-2 index: the model's features before the transform (count × model.dim). */
export function readRawVectors(dir: string, manifest: IndexManifest, verify: boolean): Promise<Float32Array> {
  return readFloats(dir, manifest, RAW_FILE, manifest.count * manifest.model.dim, verify);
}

/** transform.f32 with its header, or undefined for a version-1 index. */
export async function readTransform(
  dir: string,
  manifest: IndexManifest,
  verify: boolean,
): Promise<StoredTransform | undefined> {
  const header = manifest.transform;
  if (!header) return undefined;
  const params = await readFloats(dir, manifest, TRANSFORM_FILE, transformParamCount(header), verify);
  return { header, params };
}

/** dba.f32: each row's k-th neighbour score, or undefined when the transform has no DBA. */
export async function readDbaScores(
  dir: string,
  manifest: IndexManifest,
  verify: boolean,
): Promise<Float32Array | undefined> {
  if (!manifest.transform?.dba) return undefined;
  return readFloats(dir, manifest, DBA_FILE, manifest.count, verify);
}

/** A float32 data file of exactly `floats` values, size and (optionally) sha256 checked. */
async function readFloats(
  dir: string,
  manifest: IndexManifest,
  name: string,
  floats: number,
  verify: boolean,
): Promise<Float32Array> {
  const path = await checkFileSize(dir, manifest, name);
  const total = floats * 4;
  if (manifest.files[name]!.bytes !== total) {
    throw corrupt(path, `should hold ${floats} float32 (${total} bytes)`);
  }
  const vectors = new Float32Array(floats);
  const bytes = new Uint8Array(vectors.buffer);
  const hash = verify ? createHash("sha256") : undefined;
  const fh = await open(path, "r");
  try {
    let off = 0;
    while (off < total) {
      const { bytesRead } = await fh.read(bytes, off, Math.min(READ_CHUNK, total - off), off);
      if (bytesRead === 0) throw corrupt(path, `ended early at byte ${off}`);
      hash?.update(bytes.subarray(off, off + bytesRead));
      off += bytesRead;
    }
  } finally {
    await fh.close();
  }
  if (hash) checkDigest(path, hash.digest("hex"), manifest, name);
  return vectors;
}

async function readChecked(dir: string, manifest: IndexManifest, name: string, verify: boolean) {
  const path = await checkFileSize(dir, manifest, name);
  const buf = await readFile(path);
  if (verify) checkDigest(path, createHash("sha256").update(buf).digest("hex"), manifest, name);
  return { path, text: buf.toString("utf8") };
}

/** records.jsonl: exactly `count` well-formed records with unique ids. */
export async function readRecords(
  dir: string,
  manifest: IndexManifest,
  verify: boolean,
): Promise<{ records: IndexRecord[]; ordinals: Map<string, number> }> {
  const { path, text } = await readChecked(dir, manifest, RECORDS_FILE, verify);
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length !== manifest.count) {
    throw corrupt(path, `has ${lines.length} records but the manifest says ${manifest.count}`);
  }
  const records: IndexRecord[] = new Array(lines.length);
  const ordinals = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(lines[i]!);
    } catch {
      throw corrupt(path, `line ${i + 1} is not valid JSON`);
    }
    const problem = recordProblem(parsed);
    if (problem) throw corrupt(path, `line ${i + 1}: record ${problem}`);
    const record = parsed as IndexRecord;
    if (ordinals.has(record.id)) throw corrupt(path, `line ${i + 1} repeats id ${JSON.stringify(record.id)}`);
    ordinals.set(record.id, i);
    // Indexes written before credentials were stripped on write still never show a signature.
    records[i] = mayHoldCredentials(lines[i]!) ? stripRecordCredentials(record) : record;
  }
  return { records, ordinals };
}

/** postings.json: one entry per manifest facet, each value's ordinals strictly ascending and in range. */
export async function readPostings(dir: string, manifest: IndexManifest, verify: boolean): Promise<Postings> {
  const { path, text } = await readChecked(dir, manifest, POSTINGS_FILE, verify);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw corrupt(path, "is not valid JSON");
  }
  if (typeof raw !== "object" || raw === null) throw corrupt(path, "is not a JSON object");
  const byFacet = raw as Record<string, unknown>;
  const postings: Postings = new Map();
  for (const facet of manifest.facets) {
    const values = byFacet[facet];
    if (typeof values !== "object" || values === null)
      throw corrupt(path, `has no postings for facet ${facet}`);
    const byValue = new Map<string, Uint32Array>();
    for (const [value, list] of Object.entries(values)) {
      if (!Array.isArray(list)) throw corrupt(path, `${facet}=${value} is not an array`);
      const ords = Uint32Array.from(list as number[]);
      for (let i = 0; i < ords.length; i++) {
        const ok = ords[i] === list[i] && ords[i]! < manifest.count && (i === 0 || ords[i]! > ords[i - 1]!);
        if (!ok) throw corrupt(path, `${facet}=${value} has a bad ordinal at position ${i}`);
      }
      byValue.set(value, ords);
    }
    postings.set(facet, byValue);
  }
  return postings;
}
