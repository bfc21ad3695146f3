import { z } from "zod";
import { MosaicError } from "../errors.js";

/** The name of the pointer blob under an index prefix; it is written last by every publish. */
export const CURRENT_BLOB = "CURRENT";

/** `<prefix>/CURRENT`: which version prefix holds the published index, and its manifest's sha256. */
export interface CurrentPointer {
  version: string;
  manifestSha256: string;
}

const pointerSchema = z.object({
  version: z.string().regex(/^v-[0-9A-Za-z-]+$/),
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export function formatPointer(pointer: CurrentPointer): Buffer {
  return Buffer.from(`${JSON.stringify(pointer)}\n`);
}

/** Validates CURRENT's text; `where` is a SAS-free URL for the error. */
export function parsePointer(text: string, where: string): CurrentPointer {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = pointerSchema.safeParse(raw);
  if (!parsed.success) {
    throw new MosaicError(`${where} is not a mosaic index pointer (expected {"version","manifestSha256"}).`, {
      hint: "Publish the index again with `mosaic index push <dir> <location>`.",
    });
  }
  return parsed.data;
}

/**
 * A version name unique to one index build: its creation time plus the start of its manifest's hash.
 * Deterministic on purpose: pushing the same local index again targets the same prefix, so an
 * interrupted upload resumes instead of starting over.
 */
export function versionName(createdAt: string, manifestSha256: string): string {
  const time = Number.isNaN(Date.parse(createdAt))
    ? "undated"
    : new Date(createdAt)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "Z");
  return `v-${time}-${manifestSha256.slice(0, 12)}`;
}
