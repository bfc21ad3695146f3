import path from "node:path";
import type { Context } from "./context.js";
import { UsageError } from "../errors.js";
import type { BlobAccess } from "../blob/blob-access.js";
import { blobAccessFor } from "./blob-index-location.js";
import type { BlobRef } from "../blob/blob-location.js";
import { type PullResult, pullIndex } from "../blob/pull-index.js";
import { type PushResult, pushIndex } from "../blob/push-index.js";
import { redact } from "../redact.js";

function blobLocation(access: BlobAccess, location: string): BlobRef {
  const ref = access.parse(location);
  if (ref === undefined) {
    throw new UsageError(`${redact(location)} is not a blob storage location.`, {
      hint: "Use az://<container>/<path>, https://<account>.blob.core.windows.net/<container>/<path>[?SAS], or a URL under AZURE_STORAGE_CONNECTION_STRING's BlobEndpoint.",
    });
  }
  return ref;
}

const step = <T>(ctx: Context, label: string, work: () => Promise<T>) => ctx.reporter.step(label, work);

/** `mosaic index push <dir> <location>`: publish a local index (resumable; CURRENT switches last). */
export async function runIndexPush(
  ctx: Context,
  dir: string,
  location: string,
  access: BlobAccess = blobAccessFor(ctx),
): Promise<PushResult> {
  const ref = blobLocation(access, location);
  const local = path.resolve(ctx.cwd, dir);
  return step(ctx, `Publishing ${local} to ${redact(location)}`, () =>
    pushIndex(local, ref, access.store, { signal: ctx.signal }),
  );
}

/** `mosaic index pull <location> <dir>`: download the published index, checksums verified, swapped in atomically. */
export async function runIndexPull(
  ctx: Context,
  location: string,
  dir: string,
  access: BlobAccess = blobAccessFor(ctx),
): Promise<PullResult> {
  const ref = blobLocation(access, location);
  const local = path.resolve(ctx.cwd, dir);
  return step(ctx, `Fetching ${redact(location)} into ${local}`, () =>
    pullIndex(ref, local, access.store, { signal: ctx.signal }),
  );
}
