import { createHash } from "node:crypto";
import path from "node:path";
import type { Context } from "./context.js";
import { AbortedError, MosaicError } from "../errors.js";
import type { BlobAccess } from "../blob/blob-access.js";
import { createBlobAccess } from "./blob-access.js";
import { type BlobRef, blobUrl } from "../blob/blob-location.js";
import { pullIndex } from "../blob/pull-index.js";
import { type PushResult, pushIndex } from "../blob/push-index.js";
import { redact } from "../redact.js";

/** `<cacheDir>/blob-index/<hash of the SAS-free prefix URL>`: one local copy per published location. */
export function blobIndexCacheDir(cacheDir: string, ref: BlobRef): string {
  const key = createHash("sha256").update(blobUrl(ref)).digest("hex").slice(0, 24);
  return path.join(cacheDir, "blob-index", key);
}

/** Blob access for a command, from its env and the config's `azure` section. */
export function blobAccessFor(ctx: Context): BlobAccess {
  return createBlobAccess(ctx.io.env, ctx.config.azure);
}

/**
 * Where query/serve read the index: the configured local directory, or for a blob location the local
 * cache of it, brought up to date with the published version first (a no-op when it already is).
 */
export async function resolveIndexDir(
  ctx: Context,
  access: BlobAccess = blobAccessFor(ctx),
): Promise<string> {
  const ref = access.parse(ctx.config.index);
  if (ref === undefined) return path.resolve(ctx.cwd, ctx.config.index);
  const dir = blobIndexCacheDir(ctx.cacheDir, ref);
  const pull = () => pullIndex(ref, dir, access.store, { signal: ctx.signal });
  await ctx.reporter.step(`Fetching index from ${blobUrl(ref)}`, pull);
  return dir;
}

/** featurize's output when `--out` is a blob location. */
export interface BlobIndexTarget {
  /** Where the index is built locally (and kept as the cache of the published version). */
  localDir: string;
  /** The location as the user wrote it, secrets blanked (for the summary and stdout). */
  display: string;
  /** Uploads the finished local index and switches CURRENT to it. */
  publish(): Promise<PushResult>;
}

/** undefined when the configured index is a local directory. */
export function blobIndexTarget(
  ctx: Context,
  access: BlobAccess = blobAccessFor(ctx),
): BlobIndexTarget | undefined {
  const ref = access.parse(ctx.config.index);
  if (ref === undefined) return undefined;
  const localDir = blobIndexCacheDir(ctx.cacheDir, ref);
  return {
    localDir,
    display: redact(ctx.config.index),
    publish: async () => {
      const push = () => pushIndex(localDir, ref, access.store, { signal: ctx.signal });
      try {
        return await ctx.reporter.step(`Publishing index to ${blobUrl(ref)}`, push);
      } catch (error) {
        if (!(error instanceof MosaicError) || error instanceof AbortedError) throw error;
        // The built index is the expensive part: say where it is and how to finish the upload.
        throw new MosaicError(error.message, {
          hint: `${error.hint ?? ""} The index is kept at ${localDir}; \`mosaic index push ${localDir} ${redact(ctx.config.index)}\` resumes the upload.`.trim(),
        });
      }
    },
  };
}
