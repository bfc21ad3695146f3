import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { kill, pid } from "node:process";
import { crashPoint } from "./crash-points.js";
import { tempOwner } from "./temp-names.js";

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
  if (movedAside) crashPoint("swap-moved-aside");
  try {
    await rename(tmp, dir);
  } catch (err) {
    // Put the old index back so a failed swap changes nothing.
    if (movedAside) await rename(old, dir).catch(() => undefined);
    throw err;
  }
  await fsyncPath(dirname(resolve(dir)));
  if (movedAside) crashPoint("swap-renamed");
  if (movedAside) await rm(old, { recursive: true, force: true });
}

/** Whether a process with this pid runs (a temp dir of a live writer is not a leftover). */
function isRunning(owner: number): boolean {
  if (owner === pid) return true;
  try {
    kill(owner, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

const isComplete = (dir: string) =>
  stat(join(dir, "manifest.json")).then(
    (s) => s.isFile(),
    () => false,
  );

export interface Recovery {
  /** What was done, one line each, for a notice ("finished an interrupted swap", …). */
  actions: string[];
}

/**
 * Cleans up after a writer that was killed: run before reading or writing `dir`. Siblings
 * `<dir>.tmp-<pid>-*` and `<dir>.old-<pid>-*` of dead processes are this index's leftovers:
 * - no `dir` but an `.old-` dir: the swap was interrupted between its renames. A complete `.tmp-` dir
 *   (manifest present) is the new index: the swap is finished; otherwise the old index goes back.
 * - `dir` present and an `.old-` dir: the swap finished, only the removal was cut: it is removed.
 * - any other `.tmp-` dir of a dead writer is half-written and removed.
 */
export async function recoverIndexDir(dir: string): Promise<Recovery> {
  const abs = resolve(dir);
  const parent = dirname(abs);
  const stem = basename(abs);
  const names = await readdir(parent).catch(() => [] as string[]);
  const dead = (kind: "tmp" | "old") =>
    names
      .filter((n) => {
        const owner = tempOwner(n, stem, kind);
        return owner !== undefined && !isRunning(owner);
      })
      .map((n) => join(parent, n));
  const olds = dead("old");
  let tmps = dead("tmp");
  const actions: string[] = [];
  const exists = await stat(abs).then(
    () => true,
    () => false,
  );
  if (!exists && olds.length > 0) {
    const complete: string[] = [];
    for (const t of tmps) if (await isComplete(t)) complete.push(t);
    const newest = complete.at(-1);
    if (newest !== undefined) {
      await rename(newest, abs);
      tmps = tmps.filter((t) => t !== newest);
      actions.push(`finished an interrupted swap of ${abs}`);
    } else {
      const previous = olds.shift()!;
      await rename(previous, abs);
      actions.push(`restored ${abs} after an interrupted swap`);
    }
  }
  // Inside the index: sidecar temp files (hnsw.usearch.tmp-<pid>-…) of a writer that died mid-save.
  for (const name of await readdir(abs).catch(() => [] as string[])) {
    const owner = /\.tmp-(\d+)-[0-9a-f]+$/.exec(name)?.[1];
    if (owner !== undefined && !isRunning(Number(owner))) {
      await rm(join(abs, name), { force: true });
      actions.push(`removed ${name} left by an interrupted run`);
    }
  }
  for (const leftover of [...olds, ...tmps]) {
    await rm(leftover, { recursive: true, force: true });
    actions.push(`removed ${basename(leftover)} left by an interrupted run`);
  }
  return { actions };
}

/** Best-effort removal of a temp dir after an abort or failure. */
export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
