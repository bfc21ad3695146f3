import type { Command } from "commander";
import type { CliIo } from "../src/wiring/io.js";
import { withContext } from "./with-context.js";

export function configCommand(parent: Command, io: CliIo): Command {
  return parent
    .command("config")
    .description("Print the resolved config, each value with its source (default, file, MOSAIC_* env, flag)")
    .option("--schema", 'print the JSON Schema of config files instead (for "$schema" in a .json config)')
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  mosaic config                                   # which file was loaded, every value and its source",
        "  mosaic config --schema > mosaic.config.schema.json",
      ].join("\n"),
    )
    .action(async (flags: { schema?: boolean }, command: Command) => {
      if (flags.schema) {
        const { configJsonSchema } = await import("../src/config/json-schema.js");
        io.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
        return;
      }
      await withContext(io, command, {}, async (ctx) => {
        const shown = {
          file: ctx.configFile,
          warnings: ctx.configWarnings,
          config: ctx.config as Record<string, unknown>,
          sources: ctx.configSources,
        };
        if (ctx.json) ctx.out(JSON.stringify(shown));
        else {
          const { formatConfig } = await import("../src/ui/format-config.js");
          ctx.out(formatConfig(shown));
        }
      });
    });
}
