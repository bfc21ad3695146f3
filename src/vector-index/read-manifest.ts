import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { MosaicError } from "../errors.js";
import { MANIFEST_FILE, parseManifest } from "./format.js";
import type { IndexManifest } from "./types.js";

export interface ReadManifestOptions {
  /** When set, the index must have been built by this model. */
  expectModelId?: string | undefined;
}

/** Reads and validates `<dir>/manifest.json`, without touching the (possibly large) data files. */
export async function readManifest(dir: string, options: ReadManifestOptions = {}): Promise<IndexManifest> {
  const info = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  if (!info) {
    throw new MosaicError(`No index found at ${dir}`, { hint: await missingIndexHint(dir) });
  }
  if (!info.isDirectory()) {
    throw new MosaicError(`${dir} is a file, but an index is a directory`, {
      hint: "Pass the index directory that `mosaic featurize` wrote.",
    });
  }
  const path = join(dir, MANIFEST_FILE);
  const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  if (text === undefined) {
    throw new MosaicError(`${dir} is not a complete mosaic index: ${MANIFEST_FILE} is missing`, {
      hint: "The manifest is written last, so its absence means the index was never finished; run mosaic featurize first.",
    });
  }
  const manifest = parseManifest(text, path);
  const want = options.expectModelId;
  if (want !== undefined && manifest.model.id !== want) {
    throw new MosaicError(
      `The index at ${dir} was built with model ${manifest.model.id}, but model ${want} was requested; vectors from different models cannot be compared`,
      {
        hint: `Pass --model ${manifest.model.id} to query this index, or re-featurize the catalog with --model ${want} to rebuild it.`,
      },
    );
  }
  return manifest;
}

/** "Run featurize", plus where the previous index is if a swap was interrupted between its two renames. */
async function missingIndexHint(dir: string): Promise<string> {
  const abs = resolve(dir);
  const prefix = `${basename(abs)}.old-`;
  const leftovers = await readdir(dirname(abs)).catch(() => [] as string[]);
  const old = leftovers.find((name) => name.startsWith(prefix));
  const base = "run mosaic featurize first to build the index.";
  return old
    ? `An interrupted write left the previous index at ${join(dirname(abs), old)}; rename it to ${abs}, or ${base}`
    : base;
}
