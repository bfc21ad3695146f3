import { Command, Option } from "commander";
import { createContext } from "../src/wiring/context.js";
import { parseFilter } from "../src/search/parse-filter.js";
import type { CliIo } from "../src/wiring/io.js";
import { formatResultsTable, resultsToJson, unmatchedLines } from "../src/query/format-results.js";
import { runQuery } from "../src/wiring/run-query.js";
import { queryService } from "../src/server/service-client.js";
import { collect, positiveInt } from "./parse-flags.js";

interface QueryFlags {
  id?: string;
  results: number;
  culture?: string[];
  classification?: string[];
  filter?: string[];
  index?: string;
  model?: string;
  modelPreset?: string;
  cacheDir?: string;
  service?: string;
  engine?: "auto" | "exact" | "balltree" | "hnsw";
}

export function queryCommand(io: CliIo): Command {
  return new Command("query")
    .description("Find the artworks most similar to an image (path or URL), optionally filtered by facet")
    .argument("[image]", "image file or http(s) URL (omit with --id)")
    .option("--id <artworkId>", "more like this: use an indexed artwork instead of an image")
    .option("-n, --results <n>", "number of results", positiveInt, 10)
    .option("--culture <value>", "only this culture; repeat for OR", collect)
    .option("--classification <value>", "only this classification; repeat for OR", collect)
    .option("--filter <field=value>", "any facet; repeat (AND across fields, OR within; a,b = OR)", collect)
    .option("-i, --index <dir>", "index directory (default .mosaic/index)")
    .option("-m, --model <name|path>", "model file, when the index was built from your own model")
    .option(
      "--model-preset <name>",
      "with a model path: the preset whose cut, pooling and preprocessing apply",
    )
    .option("--cache-dir <dir>", "where converted models are kept")
    .addOption(
      new Option(
        "--engine <engine>",
        "search engine: auto plans per query (exact scan or HNSW graph)",
      ).choices(["auto", "exact", "balltree", "hnsw"]),
    )
    .option(
      "--service <url>",
      "query a running `mosaic serve` instead of a local index (key from MOSAIC_API_KEY)",
    )
    .action(async (image: string | undefined, flags: QueryFlags, command: Command) => {
      const ctx = await createContext(
        command.optsWithGlobals(),
        {
          index: flags.index,
          model: flags.model,
          modelPreset: flags.modelPreset,
          cacheDir: flags.cacheDir,
          engine: flags.engine,
        },
        io,
      );
      try {
        // --culture/--classification values are taken verbatim (they may contain commas); --filter parses a,b.
        const filter = parseFilter(flags.filter ?? []);
        if (flags.culture) filter.culture = [...(filter.culture ?? []), ...flags.culture];
        if (flags.classification)
          filter.classification = [...(filter.classification ?? []), ...flags.classification];
        const { result, facets } = flags.service
          ? await queryService(flags.service, {
              image,
              id: flags.id,
              n: flags.results,
              filter,
              apiKey: io.env.MOSAIC_API_KEY,
              signal: ctx.signal,
              cwd: ctx.cwd,
            })
          : await runQuery(ctx, { image, id: flags.id, n: flags.results, filter });
        if (!ctx.json) for (const line of unmatchedLines(result)) io.stderr.write(`${line}\n`);
        ctx.out(ctx.json ? JSON.stringify(resultsToJson(result)) : formatResultsTable(result, facets));
      } finally {
        await ctx.reporter.close();
      }
    });
}
