import { type Command, Option } from "commander";
import type { CliIo } from "../src/wiring/io.js";
import { collect, positiveInt, reportLine } from "./parse-flags.js";
import { withContext } from "./with-context.js";

interface QueryFlags {
  id?: string;
  results: number;
  culture?: string[];
  classification?: string[];
  filter?: string[];
  minScore?: string;
  index?: string;
  model?: string;
  modelPreset?: string;
  cacheDir?: string;
  service?: string;
  engine?: "auto" | "exact" | "balltree" | "hnsw";
  html?: string;
  htmlImages: "embed" | "link";
}

export function queryCommand(parent: Command, io: CliIo): Command {
  return parent
    .command("query")
    .description("Find the artworks most similar to an image (path or URL), optionally filtered by facet")
    .argument("[image]", "image file or http(s) URL (omit with --id)")
    .option("--id <artworkId>", "more like this: use an indexed artwork instead of an image")
    .option("-n, --results <n>", "number of results", positiveInt, 10)
    .option("--culture <value>", "only this culture; repeat for OR", collect)
    .option("--classification <value>", "only this classification; repeat for OR", collect)
    .option("--filter <field=value>", "any facet; repeat (AND across fields, OR within; a,b = OR)", collect)
    .option("--min-score <score>", "only results scoring at least this (a cosine, -1..1; see the README)")
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
    .option("--html <file>", "also write the query and its results as a self-contained HTML page")
    .addOption(
      new Option(
        "--html-images <how>",
        "with --html: embed small thumbnails in the page, or link the images by relative path",
      )
        .choices(["embed", "link"])
        .default("embed"),
    )
    .option(
      "--service <url>",
      "query a running `mosaic serve` instead of a local index (key from MOSAIC_API_KEY)",
    )
    .action(async (image: string | undefined, flags: QueryFlags, command: Command) => {
      await withContext(
        io,
        command,
        {
          index: flags.index,
          model: flags.model,
          modelPreset: flags.modelPreset,
          cacheDir: flags.cacheDir,
          engine: flags.engine,
        },
        async (ctx) => {
          const { UsageError } = await import("../src/errors.js");
          const { filterFromFlags } = await import("../src/search/parse-filter.js");
          const { applyMinScore, parseMinScore } = await import("../src/query/min-score.js");
          const { formatResultsTable, resultsToJson, unmatchedLines } = await import(
            "../src/query/format-results.js"
          );
          const { queryService } = await import("../src/server/service-client.js");
          const { runQuery } = await import("../src/wiring/run-query.js");
          if (flags.html && flags.service) {
            throw new UsageError("--html works with a local index (or postgres://), not yet with --service", {
              hint: "Query the index directly (--index DIR), or open the service's web UI at <service>/ui.",
            });
          }
          const filter = filterFromFlags(flags);
          const minScore = parseMinScore(flags.minScore);
          const outcome = flags.service
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
          const { facets } = outcome;
          const result = applyMinScore(outcome.result, minScore);
          // Records hold image paths relative to the catalog's directory; the service's are not ours to read.
          const imageDir = flags.service
            ? undefined
            : (outcome as { imageDir?: string | undefined }).imageDir;
          if (!ctx.json) for (const line of unmatchedLines(result)) io.stderr.write(`${line}\n`);
          if (flags.html) {
            const { writeQueryReport } = await import("../src/wiring/write-reports.js");
            const written = await writeQueryReport(
              ctx,
              { result, facets, image, filter, imageDir },
              { file: flags.html, images: flags.htmlImages },
            );
            io.stderr.write(`${reportLine(written, flags.htmlImages)}\n`);
          }
          ctx.out(ctx.json ? JSON.stringify(resultsToJson(result)) : formatResultsTable(result, facets));
        },
      );
    });
}
