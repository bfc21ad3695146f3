import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The built web UI (dist/web, made by `npm run build`), found from this file whether it runs from
 * dist/src/server (the CLI) or src/server (tests); undefined when it was never built.
 */
export function webAssetsDir(): string | undefined {
  for (const rel of ["../../web/", "../../dist/web/"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}
