import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface AppInstall {
  /** The folder holding mosaic's package.json, bin/, dist/ and node_modules/. */
  root: string;
  version: string;
}

/** mosaic's own install, found from this file in src/docker (tests) or dist/src/docker (the CLI). */
export function appInstall(): AppInstall {
  for (const rel of ["../../", "../../../"]) {
    const root = fileURLToPath(new URL(rel, import.meta.url));
    const file = `${root}package.json`;
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "mosaic") return { root: root.replace(/\/$/, ""), version: pkg.version ?? "0.0.0" };
  }
  throw new Error("Cannot find mosaic's package.json from its own code");
}
