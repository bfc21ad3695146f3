import { Command } from "commander";
import { runIndexPull, runIndexPush } from "../src/blob/run-index-transfer.js";
import { createContext } from "../src/context.js";
import type { CliIo } from "../src/io.js";
import { indexMergeCommand } from "./index-merge.js";

const LOCATIONS =
  "Locations: az://<container>/<prefix> (account from AZURE_STORAGE_ACCOUNT, azure.account or the connection string),\n" +
  "https://<account>.blob.core.windows.net/<container>/<prefix>[?SAS], or a URL under the connection string's BlobEndpoint.\n" +
  "Credentials, in order: SAS in the URL, AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY, DefaultAzureCredential.";

export function indexCommand(io: CliIo): Command {
  const index = new Command("index")
    .description("Merge partial indexes, or publish an index to Azure Blob Storage and fetch it back")
    // run-cli gives `index` its output routing and exitOverride after this returns; pass them on.
    .hook("preSubcommand", (self, sub) => void sub.copyInheritedSettings(self));
  index
    .command("push")
    .description("Upload a local index under a blob prefix; readers switch to it only once it is complete")
    .argument("<dir>", "local index directory")
    .argument("<location>", "blob prefix to publish under")
    .addHelpText("after", `\n${LOCATIONS}`)
    .action(async (dir: string, location: string, _flags: unknown, command: Command) => {
      const ctx = await createContext(command.optsWithGlobals(), {}, io);
      try {
        const result = await runIndexPush(ctx, dir, location);
        ctx.out(ctx.json ? JSON.stringify(result) : `${result.location}/${result.version}`);
      } finally {
        await ctx.reporter.close();
      }
    });
  index
    .command("pull")
    .description("Download the index published under a blob prefix, verifying every checksum")
    .argument("<location>", "blob prefix the index was published under")
    .argument("<dir>", "local index directory to write (replaced atomically)")
    .addHelpText("after", `\n${LOCATIONS}`)
    .action(async (location: string, dir: string, _flags: unknown, command: Command) => {
      const ctx = await createContext(command.optsWithGlobals(), {}, io);
      try {
        const result = await runIndexPull(ctx, location, dir);
        ctx.out(ctx.json ? JSON.stringify(result) : result.dir);
      } finally {
        await ctx.reporter.close();
      }
    });
  index.addCommand(indexMergeCommand(io));
  return index;
}
