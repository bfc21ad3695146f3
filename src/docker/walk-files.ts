import { readdir } from "node:fs/promises";
import path from "node:path";

/**
 * Regular files under `dir` as paths relative to it (POSIX separators), sorted. `skip` sees each
 * relative path (directories too) and prunes it when it returns true. Symlinks are not followed:
 * a build context must not pull in files from outside the folders mosaic chose.
 */
export async function walkFiles(
  dir: string,
  skip: (relative: string) => boolean = () => false,
): Promise<string[]> {
  const out: string[] = [];
  async function visit(relative: string): Promise<void> {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    for (const entry of entries) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip(rel)) continue;
      if (entry.isDirectory()) await visit(rel);
      else if (entry.isFile()) out.push(rel);
    }
  }
  await visit("");
  return out.sort();
}
