import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { pid } from "node:process";

/**
 * Directory-level atomic replace. Everything is written into a sibling temp dir on the same
 * filesystem (so rename is atomic), fsynced, and only then renamed into place. A reader either sees
 * the old complete index or the new complete one; a crash before the swap leaves the old one intact.
 */

function siblingName(dir: string, kind: "tmp" | "old"): string {
  const abs = resolve(dir);
  return join(dirname(abs), `${basename(abs)}.${kind}-${pid}-${randomBytes(4).toString("hex")}`);
}

/** Creates `<dir>.tmp-<pid>-<rand>` next to `dir` (and dir's parent if missing). */
export async function makeTempSibling(dir: string): Promise<string> {
  const tmp = siblingName(dir, "tmp");
  await mkdir(dirname(tmp), { recursive: true });
  await mkdir(tmp);
  return tmp;
}

/** fsync a file or directory so its content (or its entries) survive a power loss. */
export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Moves the finished `tmp` dir to `dir`. POSIX cannot rename a directory over a non-empty one, so an
 * existing index is first renamed aside to `<dir>.old-…` and removed after the new one is in place.
 * The window between the two renames has no `dir`; loadIndex's hint points at the `.old-` dir then.
 */
export async function swapDirInto(tmp: string, dir: string): Promise<void> {
  await fsyncPath(tmp);
  const old = siblingName(dir, "old");
  let movedAside = false;
  try {
    await rename(dir, old);
    movedAside = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  try {
    await rename(tmp, dir);
  } catch (err) {
    // Put the old index back so a failed swap changes nothing.
    if (movedAside) await rename(old, dir).catch(() => undefined);
    throw err;
  }
  await fsyncPath(dirname(resolve(dir)));
  if (movedAside) await rm(old, { recursive: true, force: true });
}

/** Best-effort removal of a temp dir after an abort or failure. */
export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
