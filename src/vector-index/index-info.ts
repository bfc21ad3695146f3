import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { facetValues } from "./facet-values.js";
import { MANIFEST_FILE } from "./format.js";
import { readPostings } from "./read-index-files.js";
import { readManifest } from "./read-manifest.js";

/** What `mosaic index info` reports: read from the manifest and postings only, never the vectors. */
export interface IndexInfo {
  dir: string;
  formatVersion: number;
  count: number;
  model: string;
  /** The bundled preset whose id `model` is (the wiring fills it in); unset for your own weights. */
  preset?: string | undefined;
  dim: number;
  createdAt: string;
  /** Catalog column of the ids, when the index records it. */
  idColumn: string | undefined;
  facets: {
    name: string;
    /** The catalog's column for it, when recorded. */
    column: string | undefined;
    /** Records with a value (the rest have none). */
    withValue: number;
    values: { value: string; count: number }[];
  }[];
  /** The index's own data files. */
  files: { file: string; bytes: number }[];
  /** Search caches and run reports beside the index (not part of it: rebuilt or rewritten when needed). */
  sidecars: { file: string; bytes: number; what: string }[];
}

const SIDECARS: [RegExp, string][] = [
  [/^hnsw\.usearch$/, "HNSW graph (usearch), the hnsw/auto engine's cache"],
  [/^hnsw\.json$/, "HNSW graph description and checksums"],
  [/^balltree-.*\.bin$/, "ball tree, the balltree engine's cache"],
  [/^failures\.jsonl$/, "rows featurize could not index, with the reason"],
];

/** Facts about the index at `dir` (checksums of postings verified; vectors not read). */
export async function indexInfo(dir: string): Promise<IndexInfo> {
  const manifest = await readManifest(dir);
  const postings = await readPostings(dir, manifest, true);
  const facets = manifest.facets.map((name) => {
    const values = facetValues({ postings, manifest }, name);
    return {
      name,
      column: manifest.columns?.facets[name],
      withValue: values.reduce((sum, v) => sum + v.count, 0),
      values,
    };
  });
  const own = new Set([MANIFEST_FILE, ...Object.keys(manifest.files)]);
  const sidecars: IndexInfo["sidecars"] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    if (!entry.isFile() || own.has(entry.name)) continue;
    const what = SIDECARS.find(([re]) => re.test(entry.name))?.[1] ?? "not mosaic's";
    sidecars.push({ file: entry.name, bytes: (await stat(path.join(dir, entry.name))).size, what });
  }
  return {
    dir,
    formatVersion: manifest.version,
    count: manifest.count,
    model: manifest.model.id,
    dim: manifest.dim,
    createdAt: manifest.createdAt,
    idColumn: manifest.columns?.id,
    facets,
    files: Object.entries(manifest.files).map(([file, entry]) => ({ file, bytes: entry.bytes })),
    sidecars,
  };
}
