import { readFile, stat } from "node:fs/promises";
import { ImageFailure } from "./failure.js";

/** Reads an image file from disk, refusing missing files, directories and files over the cap. */
export async function readLocalImage(file: string, maxBytes: number): Promise<Buffer> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ImageFailure("not_found", `${file} is not a file`);
    if (info.size > maxBytes) {
      throw new ImageFailure("too_large", `${file} is ${info.size} bytes, over the ${maxBytes}-byte cap`);
    }
    return await readFile(file);
  } catch (error) {
    if (error instanceof ImageFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" || code === "ENOTDIR" ? "does not exist" : `cannot be read (${code})`;
    throw new ImageFailure("not_found", `${file} ${why}`, { cause: error });
  }
}
