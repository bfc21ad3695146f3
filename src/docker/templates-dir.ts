import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * mosaic's templates/ folder, found from this file whether it runs from src/docker (tests, tsx) or
 * dist/src/docker (the built CLI).
 */
export function templatesDir(): string {
  for (const rel of ["../../templates/", "../../../templates/"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}Dockerfile`)) return dir;
  }
  throw new Error("mosaic's templates/ folder is missing from this installation");
}
