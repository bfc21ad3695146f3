import { z } from "zod";
import { configSchema } from "./schema.js";

/**
 * The JSON Schema of a config file, generated from the zod schema (what a user writes: defaults
 * optional). Shipped as dist/mosaic.config.schema.json and printed by `mosaic config --schema`;
 * a `.json` config names it in `"$schema"` for editor completion and checks.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  > & { properties?: Record<string, unknown> };
  return {
    ...schema,
    title: "mosaic config",
    description: "mosaic.config.json / .mosaicrc.json / package.json#mosaic (see the README, Configuration)",
    // The loader drops "$schema" before validating; the strict object must still allow it.
    properties: { $schema: { type: "string" }, ...schema.properties },
  };
}
