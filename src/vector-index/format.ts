import { endianness } from "node:os";
import { z } from "zod";
import { MosaicError } from "../errors.js";
import type { IndexManifest, TransformHeader } from "./types.js";

/** On-disk format constants; FORMAT.md is the prose version of this file. */
export const FORMAT_NAME = "mosaic-index";
export const FORMAT_VERSION = 1;
/** Indexes whose vectors went through a collection-fitted transform (see FORMAT.md). */
export const TRANSFORM_FORMAT_VERSION = 2;
export const MANIFEST_FILE = "manifest.json";
export const VECTORS_FILE = "vectors.f32";
export const RECORDS_FILE = "records.jsonl";
export const POSTINGS_FILE = "postings.json";
/** Version 2: the model's raw features (count × model.dim), kept so the transform can be refitted. */
export const RAW_FILE = "raw.f32";
/** Version 2: the fitted transform's parameters (layout in TransformHeader). */
export const TRANSFORM_FILE = "transform.f32";
/** Version 2 with DBA: each row's k-th neighbour score (count floats), for appends. */
export const DBA_FILE = "dba.f32";
/** Every data file a v1 index has, in the order they are verified. */
export const DATA_FILES = [VECTORS_FILE, RECORDS_FILE, POSTINGS_FILE] as const;

/** The data files a manifest must list: v1's, plus the transform's for version 2. */
export function dataFilesOf(m: Pick<IndexManifest, "transform">): string[] {
  if (!m.transform) return [...DATA_FILES];
  return [...DATA_FILES, RAW_FILE, TRANSFORM_FILE, ...(m.transform.dba ? [DBA_FILE] : [])];
}

/** Floats of transform.f32 for a header: per block, mean then k projection rows. */
export function transformParamCount(h: TransformHeader): number {
  return h.blocks.reduce((s, b) => s + b.inDim * (1 + b.k), 0);
}

const preprocessSchema = z.object({
  height: z.number().int().positive(),
  width: z.number().int().positive(),
  resize: z.enum(["squash", "crop"]),
  channelOrder: z.enum(["rgb", "bgr"]),
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number(), z.number(), z.number()]),
  layout: z.enum(["nhwc", "nchw"]),
});

const fileEntrySchema = z.object({
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const positiveInt = z.number().int().positive();
const transformSchema = z.object({
  version: z.literal(1),
  kind: z.literal("pw"),
  inDim: positiveInt,
  outDim: positiveInt,
  shrink: z.number().nonnegative(),
  power: z.number().nonnegative(),
  blocks: z.array(z.object({ inDim: positiveInt, k: positiveInt, weight: z.number() })).min(1),
  dba: z.object({ k: positiveInt }).nullable(),
  fittedOn: z.number().int().nonnegative(),
  source: z.string().min(1),
}) satisfies z.ZodType<TransformHeader>;

const manifestSchema = z.object({
  format: z.literal(FORMAT_NAME),
  version: z.union([z.literal(FORMAT_VERSION), z.literal(TRANSFORM_FORMAT_VERSION)]),
  createdAt: z.string(),
  model: z.object({ id: z.string().min(1), dim: z.number().int().positive(), preprocess: preprocessSchema }),
  dim: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  facets: z.array(z.string().min(1)),
  normalized: z.literal(true),
  files: z.record(z.string(), fileEntrySchema),
  columns: z.object({ id: z.string().min(1), facets: z.record(z.string(), z.string()) }).optional(),
  imageRoot: z.string().optional(),
  transform: transformSchema.optional(),
}) satisfies z.ZodType<IndexManifest>;

const REBUILD_HINT = "Rebuild it with `mosaic featurize`, or restore the directory from a backup.";

/**
 * Validates manifest JSON text. The format and version are checked before the full schema so that an
 * index from a newer mosaic gets "upgrade" rather than a wall of schema errors.
 */
export function parseManifest(text: string, path: string): IndexManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new MosaicError(`Index manifest ${path} is not valid JSON`, { hint: REBUILD_HINT, cause });
  }
  const head = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  if (head.format !== FORMAT_NAME) {
    throw new MosaicError(
      `${path} is not a mosaic index manifest (format is ${JSON.stringify(head.format)})`,
      {
        hint: `Point mosaic at a directory written by \`mosaic featurize\`. ${REBUILD_HINT}`,
      },
    );
  }
  const version = head.version;
  if (typeof version === "number" && Number.isInteger(version) && version > TRANSFORM_FORMAT_VERSION) {
    throw new MosaicError(
      `index format v${version} is newer than this mosaic supports; upgrade (${path}; this mosaic reads v${FORMAT_VERSION}–v${TRANSFORM_FORMAT_VERSION})`,
      { hint: "Install a newer mosaic (npm i -g mosaic@latest), or rebuild the index with this version." },
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new MosaicError(`Index manifest ${path} is invalid: ${issues}`, { hint: REBUILD_HINT });
  }
  const m = parsed.data;
  const t = m.transform;
  if ((m.version === TRANSFORM_FORMAT_VERSION) !== (t !== undefined)) {
    throw new MosaicError(
      `Index manifest ${path} is invalid: version ${m.version} ${t ? "cannot carry" : "needs"} a transform`,
      { hint: REBUILD_HINT },
    );
  }
  if (t) {
    const inDim = t.blocks.reduce((s, b) => s + b.inDim, 0);
    const outDim = t.blocks.reduce((s, b) => s + b.k, 0);
    if (t.inDim !== m.model.dim || inDim !== t.inDim || t.outDim !== m.dim || outDim !== t.outDim) {
      throw new MosaicError(
        `Index manifest ${path} is invalid: transform ${t.inDim}→${t.outDim} (blocks ${inDim}→${outDim}) does not match model.dim ${m.model.dim} → dim ${m.dim}`,
        { hint: REBUILD_HINT },
      );
    }
  } else if (m.model.dim !== m.dim) {
    throw new MosaicError(
      `Index manifest ${path} is invalid: dim ${m.dim} differs from model.dim ${m.model.dim}`,
      {
        hint: REBUILD_HINT,
      },
    );
  }
  for (const name of dataFilesOf(m)) {
    if (!m.files[name]) {
      throw new MosaicError(`Index manifest ${path} lists no entry for ${name}`, { hint: REBUILD_HINT });
    }
  }
  return m;
}

export { REBUILD_HINT };

/** Vectors are stored little-endian and mapped straight into a Float32Array, which needs a LE host. */
export function assertLittleEndianHost(): void {
  if (endianness() !== "LE") {
    throw new MosaicError("mosaic indexes need a little-endian CPU", {
      hint: "Run mosaic on x86-64 or arm64; big-endian hosts are not supported.",
    });
  }
}
