import { crashPoint } from "../vector-index/crash-points.js";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, openSync, readSync, renameSync, statSync, unlinkSync } from "node:fs";
import { pid } from "node:process";

const CHUNK = 8 << 20;

/** sha256 of a file, read in chunks (a graph can be gigabytes). Sync: engines build inside a query. */
export function fileSha256(path: string): string {
  const hash = createHash("sha256");
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** What a sidecar must be before its bytes reach a parser (or native code). */
export interface SidecarCheck {
  bytes: number;
  sha256: string;
}

/**
 * Why the file at `path` cannot be trusted, or undefined when it has exactly the recorded size and
 * sha256. The size is checked first, so a truncated or empty file is rejected without reading it.
 */
export function sidecarProblem(path: string, expected: SidecarCheck): string | undefined {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return "is missing";
  }
  if (size !== expected.bytes) return `is ${size} bytes, expected ${expected.bytes} (damaged)`;
  if (fileSha256(path) !== expected.sha256) return "does not match its checksum (damaged)";
  return undefined;
}

/** Writes through `write(tmpPath)` and renames into place, so a crash never leaves a half-written file. */
export function writeFileAtomically(path: string, write: (tmp: string) => void): void {
  const tmp = `${path}.tmp-${pid}-${randomBytes(4).toString("hex")}`;
  try {
    write(tmp);
    crashPoint("sidecar-written");
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // Never created, or already gone.
    }
    throw err;
  }
}

export { isSidecarTemp } from "../vector-index/temp-names.js";
