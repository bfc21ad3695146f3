import type { MosaicConfigInput } from "./schema.js";

/**
 * Typed helper for `mosaic.config.ts`:
 * ```ts
 * import { defineConfig } from "mosaic";
 * export default defineConfig({ catalog: "met.tsv", columns: { facets: { culture: "Culture" } } });
 * ```
 */
export function defineConfig(config: MosaicConfigInput): MosaicConfigInput {
  return config;
}
