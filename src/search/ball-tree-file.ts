import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, writevSync } from "node:fs";
import { MosaicError } from "../errors.js";
import type { BallTreeData } from "./ball-tree-data.js";
import { writeFileAtomically } from "./sidecar-file.js";

/**
 * Binary layout: "MBT2", u32 header length, JSON header (shape + label names), then each typed array
 * raw and little-endian, each starting on an 8-byte boundary so it can be copied out as-is, then the
 * sha256 of everything before it (32 bytes). "MBT1" files (no checksum) are not trusted: rebuilt.
 */
const MAGIC = "MBT2";
const OLD_MAGIC = "MBT1";
const SHA_BYTES = 32;
const ARRAYS = [
  "perm",
  "start",
  "end",
  "left",
  "right",
  "centroids",
  "radii",
  "labelOffsets",
  "labelNodes",
  "pointLabelOffsets",
  "pointLabelIds",
] as const;
type ArrayName = (typeof ARRAYS)[number];

interface Header {
  dim: number;
  count: number;
  leafSize: number;
  labelNames: string[];
  lengths: Record<ArrayName, number>;
}

const pad8 = (n: number) => (8 - (n % 8)) % 8;

/** Sync like the build itself: the engine builds and caches a tree inside one (synchronous) query. */
export function writeBallTree(path: string, tree: BallTreeData): void {
  const lengths = Object.fromEntries(ARRAYS.map((name) => [name, tree[name].length])) as Record<
    ArrayName,
    number
  >;
  const header: Header = {
    dim: tree.dim,
    count: tree.count,
    leafSize: tree.leafSize,
    labelNames: tree.labelNames,
    lengths,
  };
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const head = Buffer.alloc(8);
  head.write(MAGIC, 0, "latin1");
  head.writeUInt32LE(json.length, 4);
  const parts: Uint8Array[] = [head, json, new Uint8Array(pad8(8 + json.length))];
  for (const name of ARRAYS) {
    const a = tree[name];
    parts.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(pad8(a.byteLength)));
  }
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  parts.push(hash.digest());
  writeFileAtomically(path, (tmp) => {
    const fd = openSync(tmp, "w");
    try {
      writevSync(fd, parts);
    } finally {
      closeSync(fd);
    }
  });
}

export function readBallTree(path: string): BallTreeData {
  const buf = readFileSync(path);
  const bad = (why: string) =>
    new MosaicError(`Ball tree file ${path} ${why}`, { hint: "Delete it; it is rebuilt on next use." });
  const magic = buf.length >= 8 ? buf.toString("latin1", 0, 4) : "";
  if (magic === OLD_MAGIC) throw bad("has no checksum (written by an older mosaic)");
  if (magic !== MAGIC || buf.length < 8 + SHA_BYTES) throw bad("is not a mosaic ball tree");
  const body = buf.subarray(0, buf.length - SHA_BYTES);
  const sha = createHash("sha256").update(body).digest();
  if (!sha.equals(buf.subarray(buf.length - SHA_BYTES))) throw bad("does not match its checksum (damaged)");
  const jsonLen = buf.readUInt32LE(4);
  let header: Header;
  try {
    header = JSON.parse(buf.toString("utf8", 8, 8 + jsonLen)) as Header;
  } catch (cause) {
    throw new MosaicError(`Ball tree file ${path} has a corrupt header`, { cause });
  }
  let at = 8 + jsonLen + pad8(8 + jsonLen);
  const take = <T extends ArrayBufferView>(make: (n: number) => T, n: number): T => {
    if (!Number.isInteger(n) || n < 0) throw bad("has a corrupt header");
    const out = make(n);
    const bytes = out.byteLength;
    if (at + bytes > body.length) throw bad("is truncated");
    new Uint8Array(out.buffer).set(buf.subarray(at, at + bytes));
    at += bytes + pad8(bytes);
    return out;
  };
  const u32 = (n: number) => new Uint32Array(n);
  const i32 = (n: number) => new Int32Array(n);
  const L = header.lengths;
  return {
    dim: header.dim,
    count: header.count,
    leafSize: header.leafSize,
    labelNames: header.labelNames,
    perm: take(u32, L.perm),
    start: take(u32, L.start),
    end: take(u32, L.end),
    left: take(i32, L.left),
    right: take(i32, L.right),
    centroids: take((n) => new Float32Array(n), L.centroids),
    radii: take((n) => new Float64Array(n), L.radii),
    labelOffsets: take(u32, L.labelOffsets),
    labelNodes: take(u32, L.labelNodes),
    pointLabelOffsets: take(u32, L.pointLabelOffsets),
    pointLabelIds: take(u32, L.pointLabelIds),
  };
}
