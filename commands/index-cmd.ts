import type { Command } from "commander";
import type { CliIo } from "../src/wiring/io.js";
import { indexMergeCommand } from "./index-merge.js";
import { withContext } from "./with-context.js";

const LOCATIONS =
  "Locations: az://<container>/<prefix> (account from AZURE_STORAGE_ACCOUNT, azure.account or the connection string),\n" +
  "https://<account>.blob.core.windows.net/<container>/<prefix>[?SAS], or a URL under the connection string's BlobEndpoint.\n" +
  "Credentials, in order: SAS in the URL, AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY, DefaultAzureCredential.";

const PG_LOCATION =
  "Or a PostgreSQL table with pgvector (>= 0.5; 0.8 for iterative scans of filtered queries):\n" +
  "postgres://user@host:5432/db?table=artworks[&sslmode=require][&pool=4]; what the URL leaves out comes from\n" +
  "PGUSER, PGPASSWORD, PGHOST, PGPORT, PGDATABASE. Re-running an interrupted push resumes it.";

export function indexCommand(parent: Command, io: CliIo): Command {
  const index = parent
    .command("index")
    .description(
      "Inspect an index, merge partial indexes, or publish an index to Azure Blob Storage and fetch it back",
    );
  index
    .command("push")
    .description(
      "Upload a local index under a blob prefix or into a PostgreSQL + pgvector table; readers switch to it only once it is complete",
    )
    .argument("<dir>", "local index directory")
    .argument("<location>", "blob prefix to publish under, or postgres://…?table=…")
    .addHelpText("after", `\n${LOCATIONS}\n${PG_LOCATION}`)
    .action(async (dir: string, location: string, _flags: unknown, command: Command) => {
      await withContext(io, command, {}, async (ctx) => {
        const { isPgLocation } = await import("../src/pgvector/pg-location.js");
        const { runIndexPush } = await import("../src/wiring/run-index-transfer.js");
        if (isPgLocation(location)) {
          const { runPgPush } = await import("../src/wiring/run-pg-push.js");
          const result = await runPgPush(ctx, dir, location);
          ctx.out(ctx.json ? JSON.stringify(result) : `${result.location} (${result.rows} rows)`);
          return;
        }
        const result = await runIndexPush(ctx, dir, location);
        ctx.out(ctx.json ? JSON.stringify(result) : `${result.location}/${result.version}`);
      });
    });
  index
    .command("pull")
    .description("Download the index published under a blob prefix, verifying every checksum")
    .argument("<location>", "blob prefix the index was published under")
    .argument("<dir>", "local index directory to write (replaced atomically)")
    .addHelpText("after", `\n${LOCATIONS}`)
    .action(async (location: string, dir: string, _flags: unknown, command: Command) => {
      await withContext(io, command, {}, async (ctx) => {
        const { runIndexPull } = await import("../src/wiring/run-index-transfer.js");
        const result = await runIndexPull(ctx, location, dir);
        ctx.out(ctx.json ? JSON.stringify(result) : result.dir);
      });
    });
  index
    .command("info")
    .description(
      "What an index holds: records, model, dimension, creation time, facet values with counts, sidecar files",
    )
    .argument("[dir]", "index directory or blob location (default: the configured index, .mosaic/index)")
    .action(async (dir: string | undefined, _flags: unknown, command: Command) => {
      await withContext(io, command, { index: dir }, async (ctx) => {
        const { runIndexInfo } = await import("../src/wiring/run-index-info.js");
        const { formatIndexInfo } = await import("../src/ui/format-index-info.js");
        const info = await runIndexInfo(ctx);
        ctx.out(ctx.json ? JSON.stringify(info) : formatIndexInfo(info));
      });
    });
  indexMergeCommand(index, io);
  return index;
}
