import { type Command, Option } from "commander";
import type { Shard } from "../src/catalog/shard.js";
import type { CliIo } from "../src/wiring/io.js";
import { collect, nonNegativeInt, parseFacetMapping, parseShard, positiveInt } from "./parse-flags.js";
import { withContext } from "./with-context.js";

interface FeaturizeFlags {
  allowHost?: string[];
  allowCidr?: string[];
  catalog?: string;
  out?: string;
  model?: string;
  modelPreset?: string;
  batchSize?: number;
  concurrency?: number;
  threads?: number;
  limit?: number;
  decodeWorkers?: number;
  format?: "csv" | "tsv" | "jsonl";
  idColumn?: string;
  imageColumn?: string[];
  facet?: string[];
  cacheDir?: string;
  dryRun?: boolean;
  append?: boolean;
  shard?: Shard;
  device?: "auto" | "cpu" | "webgpu" | "cuda";
  precision?: "fp32" | "fp16";
}

export function featurizeCommand(parent: Command, io: CliIo): Command {
  return parent
    .command("featurize")
    .description("Download, embed and index a catalog of artworks (default: the built-in synthetic sample)")
    .option("--catalog <path|url>", "catalog file or http(s) URL (CSV, TSV or JSONL)")
    .option("-o, --out <dir>", "index directory to write (default .mosaic/index)")
    .option(
      "-m, --model <name|path>",
      "model preset, .onnx file or TF.js model.json (default: the embedded model)",
    )
    .option(
      "--model-preset <name>",
      "with a model path: the preset whose cut, pooling and preprocessing apply",
    )
    .option("-b, --batch-size <n>", "images per model batch", positiveInt)
    .option("--concurrency <n>", "downloads and decodes in flight", positiveInt)
    .addOption(
      new Option("--device <device>", "where the model runs: auto tries cuda, then webgpu, then cpu").choices(
        ["auto", "cpu", "webgpu", "cuda"],
      ),
    )
    .addOption(
      new Option(
        "--precision <p>",
        "model precision on a GPU (fp16: faster, features within cosine 0.995)",
      ).choices(["fp32", "fp16"]),
    )
    .option("--threads <n>", "ONNX Runtime threads (0 = one per core)", nonNegativeInt)
    .option("--limit <n>", "stop after n catalog rows", positiveInt)
    .option(
      "--decode-workers <n>",
      "worker threads decoding images (default: cores-1 on 4+ cores, else 0)",
      nonNegativeInt,
    )
    .addOption(
      new Option("--format <format>", "catalog format (default: from the extension)").choices([
        "csv",
        "tsv",
        "jsonl",
      ]),
    )
    .option(
      "--allow-host <name>",
      "image host a remote catalog may reach although its address is private (or *.suffix); repeat",
      collect,
    )
    .option("--allow-cidr <range>", "address range a remote catalog's images may reach; repeat", collect)
    .option("--id-column <name>", "column holding the artwork id")
    .option("--image-column <name>", "image column; repeat for fallbacks in order", collect)
    .option("--facet <name=column>", "a facet and its column; repeat for several", collect)
    .option("--cache-dir <dir>", "where downloaded images and converted models are kept")
    .option("--dry-run", "read, download and decode only: report what would be indexed")
    .option("--append", "add rows the index does not hold yet (same model) instead of rebuilding it")
    .option(
      "--shard <i/N>",
      "only the catalog rows whose id hashes to shard i of N (0-based), into a partial index for `mosaic index merge`",
      parseShard,
    )
    .action(async (flags: FeaturizeFlags, command: Command) => {
      const columns = {
        ...(flags.idColumn ? { id: flags.idColumn } : {}),
        ...(flags.imageColumn ? { image: flags.imageColumn } : {}),
        ...(flags.facet ? { facets: parseFacetMapping(flags.facet) } : {}),
      };
      await withContext(
        io,
        command,
        {
          catalog: flags.catalog,
          index: flags.out,
          model: flags.model,
          modelPreset: flags.modelPreset,
          batchSize: flags.batchSize,
          concurrency: flags.concurrency,
          threads: flags.threads,
          device: flags.device,
          precision: flags.precision,
          limit: flags.limit,
          decodeWorkers: flags.decodeWorkers,
          format: flags.format,
          cacheDir: flags.cacheDir,
          columns: Object.keys(columns).length > 0 ? columns : undefined,
        },
        async (ctx) => {
          const { runFeaturize } = await import("../src/wiring/run-featurize.js");
          const { summary } = await runFeaturize(ctx, {
            dryRun: flags.dryRun === true,
            shard: flags.shard,
            append: flags.append === true,
            allowHosts: flags.allowHost ?? [],
            allowCidrs: flags.allowCidr ?? [],
          });
          // The summary goes to stdout after the reporter is closed (its last frame is on stderr first).
          return { summary, json: ctx.json, out: ctx.out };
        },
      ).then(({ summary, json, out }) => {
        // stdout carries data only: the summary as JSON, or the index path for scripts; people read stderr.
        if (json) out(JSON.stringify(summary));
        else if (summary.outDir) out(summary.outDir);
      });
    });
}
