import { type Command, InvalidArgumentError, Option } from "commander";
import type { CliIo } from "../src/wiring/io.js";
import { collect, nonNegativeInt, positiveInt } from "./parse-flags.js";
import { withContext } from "./with-context.js";

interface ServeFlags {
  engine?: "auto" | "exact" | "balltree" | "hnsw";
  index?: string;
  port: number;
  host: string;
  allowHost?: string[];
  allowCidr?: string[];
  model?: string;
  cacheDir?: string;
  threads?: number;
  maxBatch?: number;
  maxWait?: number;
  maxQueue?: number;
  maxResults?: number;
  maxPending?: number;
  maxConnections?: number;
  headersTimeout?: number;
  requestTimeout?: number;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError(`expected a port 0-65535, got "${value}"`);
  return n;
}

export function serveCommand(parent: Command, io: CliIo): Command {
  return parent
    .command("serve")
    .description(
      "Serve similarity search over HTTP (the original MosAIc API plus /v1); stops cleanly on SIGTERM",
    )
    .option(
      "-i, --index <dir|url>",
      "index directory, az:// prefix or postgres://…?table= (default .mosaic/index)",
    )
    .option("-p, --port <port>", "port to listen on", port, 8890)
    .option("--host <host>", "address to bind (0.0.0.0 in a container)", "127.0.0.1")
    .option(
      "--allow-host <name>",
      "image host exempt from the private-address block; repeat (*.corp.example ok)",
      collect,
    )
    .option("--allow-cidr <range>", "address range exempt from the private-address block; repeat", collect)
    .option("-m, --model <path>", "model.json or .onnx, when the index was built from your own weights")
    .option("--cache-dir <dir>", "where converted models are kept")
    .option("--threads <n>", "ONNX Runtime threads (0 = one per core)", nonNegativeInt)
    .option("--max-batch <n>", "most images per model call", positiveInt)
    .option("--max-wait <ms>", "longest a request waits to share a model call", nonNegativeInt)
    .option("--max-queue <n>", "requests waiting for the model before new ones get 503", positiveInt)
    .option("--max-results <n>", "largest n a request may ask for", positiveInt)
    .option(
      "--max-pending <n>",
      "searches in progress at once; more get 503 + Retry-After before their upload is read (default 64)",
      positiveInt,
    )
    .option("--max-connections <n>", "open connections at once (default 1024)", positiveInt)
    .option(
      "--headers-timeout <ms>",
      "longest a client may take to send its headers (default 10000)",
      positiveInt,
    )
    .option(
      "--request-timeout <ms>",
      "longest a client may take to send its request (default 60000)",
      positiveInt,
    )
    .addOption(
      new Option(
        "--engine <engine>",
        "search engine: auto plans per query (exact scan or HNSW graph)",
      ).choices(["auto", "exact", "balltree", "hnsw"]),
    )
    .addHelpText(
      "after",
      "\nEnvironment: MOSAIC_API_KEY=<key> makes search routes require the x-api-key header.",
    )
    .action(async (flags: ServeFlags, command: Command) => {
      await withContext(
        io,
        command,
        { index: flags.index, cacheDir: flags.cacheDir, threads: flags.threads, engine: flags.engine },
        async (ctx) => {
          const { appInstall } = await import("../src/docker/app-root.js");
          const { runServe } = await import("../src/wiring/run-serve.js");
          await runServe(ctx, {
            host: flags.host,
            port: flags.port,
            allowHosts: flags.allowHost,
            allowCidrs: flags.allowCidr,
            modelPath: flags.model,
            batching: { maxBatch: flags.maxBatch, maxWaitMs: flags.maxWait, maxQueue: flags.maxQueue },
            limits: {
              maxN: flags.maxResults,
              maxPending: flags.maxPending,
              maxConnections: flags.maxConnections,
              headersTimeoutMs: flags.headersTimeout,
              requestTimeoutMs: flags.requestTimeout,
            },
            // /openapi.json and the UI say which mosaic answers.
            version: appInstall().version,
          });
        },
      );
    });
}
