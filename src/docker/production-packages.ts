import { readFile } from "node:fs/promises";
import path from "node:path";
import { MosaicError } from "../errors.js";

interface LockPackage {
  dev?: boolean;
  devOptional?: boolean;
  link?: boolean;
}

/**
 * The node_modules/... folders a production install holds, read from npm's lockfile: every package
 * not flagged `dev` or `devOptional` (needed only by dev tooling, or an optional peer that only dev
 * tooling installs). This is what `npm prune --omit=dev` keeps, worked out offline without running npm.
 * npm's hidden lockfile (node_modules/.package-lock.json) describes what is installed, so it comes first.
 */
export async function productionPackages(appRoot: string): Promise<string[]> {
  const candidates = [
    path.join(appRoot, "node_modules", ".package-lock.json"),
    path.join(appRoot, "package-lock.json"),
  ];
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    const lock = JSON.parse(text) as { packages?: Record<string, LockPackage> };
    return Object.entries(lock.packages ?? {})
      .filter(([key, pkg]) => key.startsWith("node_modules/") && !pkg.dev && !pkg.devOptional && !pkg.link)
      .map(([key]) => key)
      .sort();
  }
  throw new MosaicError(`No npm lockfile in ${appRoot}`, {
    hint: "Install mosaic's dependencies with `npm ci` (it writes node_modules/.package-lock.json) and retry.",
  });
}
