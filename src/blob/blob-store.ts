import type { Readable } from "node:stream";
import type { BlobRef } from "./blob-location.js";

/** Why a storage call failed, in the terms callers branch on. */
export type BlobFailureKind =
  | "not_found"
  | "container_not_found"
  | "auth"
  | "throttled"
  | "server"
  | "network"
  | "timeout"
  | "other";

/** A failed storage call. The message is already redacted and names the credential that was tried. */
export class BlobStoreError extends Error {
  constructor(
    readonly kind: BlobFailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "BlobStoreError";
  }
}

export interface BlobWriteOptions {
  contentType?: string;
  metadata?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/**
 * The storage operations mosaic needs, so catalog reading, image fetching and index push/pull can be
 * tested against fakes. Every method throws BlobStoreError (AbortedError when the signal fires).
 */
export interface BlobStore {
  /** Starts a download; `size` is the blob's length. */
  openRead(ref: BlobRef, signal?: AbortSignal): Promise<{ stream: Readable; size: number | undefined }>;
  /** One-shot upload (small blobs: the manifest, CURRENT). */
  write(ref: BlobRef, data: Buffer, options?: BlobWriteOptions): Promise<void>;
  /** The committed blob's metadata, or undefined when there is no such blob. */
  metadata(ref: BlobRef, signal?: AbortSignal): Promise<Record<string, string> | undefined>;
  /** Blocks staged but not yet committed (id → bytes); empty when the blob does not exist. */
  stagedBlocks(ref: BlobRef, signal?: AbortSignal): Promise<Map<string, number>>;
  stageBlock(ref: BlobRef, blockId: string, data: Buffer, signal?: AbortSignal): Promise<void>;
  /** Makes the listed blocks, in order, the blob's content. */
  commitBlocks(ref: BlobRef, blockIds: string[], options?: BlobWriteOptions): Promise<void>;
}
