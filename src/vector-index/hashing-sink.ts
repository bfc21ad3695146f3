import { createHash, type Hash } from "node:crypto";
import { type FileHandle, open } from "node:fs/promises";
import { MosaicError } from "../errors.js";
import { REBUILD_HINT } from "./format.js";
import type { IndexFileEntry } from "./types.js";

const CHUNK = 1 << 20;

/**
 * An append-only file that hashes what it writes. Small writes are gathered into 1 MiB chunks; the
 * hash is updated synchronously in write order, and disk writes are chained so callers that do not
 * await each write still produce the bytes in order.
 */
export class HashingSink {
  private buf = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private bytes = 0;
  private readonly hash: Hash = createHash("sha256");
  private pending: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
  ) {}

  static async create(path: string): Promise<HashingSink> {
    return new HashingSink(path, await open(path, "wx"));
  }

  get size(): number {
    return this.bytes;
  }

  /** Queues `data`; resolves once any chunk it filled is on its way to disk. */
  write(data: Uint8Array): Promise<void> {
    this.hash.update(data);
    this.bytes += data.byteLength;
    let offset = 0;
    while (offset < data.byteLength) {
      const n = Math.min(CHUNK - this.used, data.byteLength - offset);
      this.buf.set(data.subarray(offset, offset + n), this.used);
      this.used += n;
      offset += n;
      if (this.used === CHUNK) this.flush();
    }
    return this.pending;
  }

  /**
   * Appends an existing file, checking on the way that it has the size and sha256 the manifest says.
   * Streaming keeps memory flat however large the file is, and the check costs no extra read.
   */
  async copyFrom(path: string, expected: IndexFileEntry): Promise<void> {
    if (this.bytes !== 0) throw new Error("copyFrom must come before any write");
    const src = await open(path, "r");
    try {
      const chunk = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const { bytesRead } = await src.read(chunk, 0, CHUNK, null);
        if (bytesRead === 0) break;
        await this.write(chunk.subarray(0, bytesRead));
      }
    } finally {
      await src.close();
    }
    const got = this.hash.copy().digest("hex");
    if (this.bytes !== expected.bytes || got !== expected.sha256) {
      throw new MosaicError(
        `Index file ${path} does not match its manifest (${this.bytes} bytes, sha256 ${got}; expected ${expected.bytes} bytes, sha256 ${expected.sha256})`,
        { hint: `The existing index is damaged, so nothing was appended. ${REBUILD_HINT}` },
      );
    }
  }

  /** Flushes, fsyncs and closes; returns the entry for the manifest. */
  async finish(): Promise<IndexFileEntry> {
    this.flush();
    await this.pending;
    await this.fh.sync();
    await this.fh.close();
    return { bytes: this.bytes, sha256: this.hash.digest("hex") };
  }

  /** Closes without caring about pending errors; the temp dir is about to be removed. */
  async discard(): Promise<void> {
    await this.pending.catch(() => undefined);
    await this.fh.close().catch(() => undefined);
  }

  private flush(): void {
    if (this.used === 0) return;
    const out = this.buf.subarray(0, this.used);
    // The chunk being written must not be reused while the write is in flight.
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
    this.pending = this.pending.then(async () => {
      let off = 0;
      while (off < out.byteLength) {
        const { bytesWritten } = await this.fh.write(out, off, out.byteLength - off);
        off += bytesWritten;
      }
    });
  }
}
