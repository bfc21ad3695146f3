// Writes dist/mosaic.config.schema.json from the zod config schema (after tsc; it imports dist/).
// A `.json` config points at it with "$schema" (see the README, Configuration).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { configJsonSchema } = await import(path.join(root, "dist/src/config/json-schema.js"));
await writeFile(
  path.join(root, "dist/mosaic.config.schema.json"),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);
