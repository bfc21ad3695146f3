import { endianness } from "node:os";
import { z } from "zod";
import { MosaicError } from "../errors.js";
import type { IndexManifest } from "./types.js";

/** On-disk format constants; FORMAT.md is the prose version of this file. */
export const FORMAT_NAME = "mosaic-index";
export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = "manifest.json";
export const VECTORS_FILE = "vectors.f32";
export const RECORDS_FILE = "records.jsonl";
export const POSTINGS_FILE = "postings.json";
/** Every data file a v1 index has, in the order they are verified. */
export const DATA_FILES = [VECTORS_FILE, RECORDS_FILE, POSTINGS_FILE] as const;

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

const manifestSchema = z.object({
  format: z.literal(FORMAT_NAME),
  version: z.literal(FORMAT_VERSION),
  createdAt: z.string(),
  model: z.object({ id: z.string().min(1), dim: z.number().int().positive(), preprocess: preprocessSchema }),
  dim: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  facets: z.array(z.string().min(1)),
  normalized: z.literal(true),
  files: z.record(z.string(), fileEntrySchema),
  columns: z.object({ id: z.string().min(1), facets: z.record(z.string(), z.string()) }).optional(),
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
  if (typeof version === "number" && Number.isInteger(version) && version > FORMAT_VERSION) {
    throw new MosaicError(
      `index format v${version} is newer than this mosaic supports; upgrade (${path}; this mosaic reads v${FORMAT_VERSION})`,
      { hint: "Install a newer mosaic (npm i -g mosaic@latest), or rebuild the index with this version." },
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new MosaicError(`Index manifest ${path} is invalid: ${issues}`, { hint: REBUILD_HINT });
  }
  const m = parsed.data;
  if (m.model.dim !== m.dim) {
    throw new MosaicError(
      `Index manifest ${path} is invalid: dim ${m.dim} differs from model.dim ${m.model.dim}`,
      {
        hint: REBUILD_HINT,
      },
    );
  }
  for (const name of DATA_FILES) {
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
