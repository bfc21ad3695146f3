import type { Command } from "commander";
import type { CliIo } from "../src/wiring/io.js";
import { withContext } from "./with-context.js";

/** `mosaic index merge <out> <parts...>`: attach under the `index` command group. */
export function indexMergeCommand(parent: Command, io: CliIo): Command {
  return parent
    .command("merge")
    .description(
      "Combine partial indexes (e.g. from `featurize --shard i/N`) into one, in id order, checksums verified",
    )
    .argument("<out>", "index to write: a directory or a blob location (published once complete)")
    .argument(
      "<parts...>",
      "partial indexes: directories or blob locations; an id found twice keeps the first",
    )
    .option("--cache-dir <dir>", "where blob indexes are fetched to")
    .option(
      "--keep-fit",
      "apply the first part's collection transform to every row (default: fit anew on all merged rows, as one featurize run would)",
    )
    .action(
      async (
        out: string,
        parts: string[],
        flags: { cacheDir?: string; keepFit?: boolean },
        command: Command,
      ) => {
        await withContext(io, command, { cacheDir: flags.cacheDir }, async (ctx) => {
          const { runIndexMerge } = await import("../src/wiring/run-index-merge.js");
          const result = await runIndexMerge(ctx, out, parts, { keepFit: flags.keepFit === true });
          ctx.out(ctx.json ? JSON.stringify(result) : result.out);
        });
      },
    );
}
