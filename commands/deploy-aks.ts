import { type Command, Option } from "commander";
import type { CliIo } from "../src/wiring/io.js";
import type { AksAdapters, AksFlags } from "../src/wiring/run-deploy-aks.js";
import { positiveInt } from "./parse-flags.js";
import { withContext } from "./with-context.js";

export type { AksAdapters };

export function aksCommand(parent: Command, io: CliIo, adapters?: AksAdapters): Command {
  return parent
    .command("aks")
    .description(
      "Deploy the search service to Azure Kubernetes Service, run featurize jobs there, or tear it down",
    )
    .option("--dry-run", "print every Azure call and Kubernetes manifest instead of running them")
    .option("--delete", "remove what mosaic created (labelled/tagged managed-by=mosaic), nothing else")
    .addOption(
      new Option("--job <kind>", "run a job instead of deploying the service").choices(["featurize"]),
    )
    .option(
      "--shards <n>",
      "with --job featurize: split the catalog into n shards, one pod each",
      positiveInt,
    )
    .option("--catalog <location>", "with --job featurize: catalog in Blob (or http) the pods read")
    .option("--out <location>", "with --job featurize: blob location of the merged index (default aks.index)")
    .option("--image <ref>", "container image the cluster pulls (aks.image)")
    .option("--index <location>", "blob location of the index the service loads (aks.index)")
    .option("--kubeconfig <file>", "use this cluster instead of creating/looking up one in Azure")
    .option(
      "--timeout <seconds>",
      "how long to wait for the endpoint (default 600) or the job (default 86400)",
      positiveInt,
    )
    .addHelpText(
      "after",
      "\nAzure credentials come from DefaultAzureCredential (`az login` works); the subscription from aks.subscription or AZURE_SUBSCRIPTION_ID.",
    )
    .action(async (flags: AksFlags, command: Command) => {
      const { actionOf, aksConfigFlags, runDeployAks } = await import("../src/wiring/run-deploy-aks.js");
      const action = actionOf(flags);
      // Progress here is a few lines, not a dashboard: the plain reporter, whatever the terminal.
      await withContext(io, { ...command.optsWithGlobals(), tui: false }, aksConfigFlags(flags), (ctx) =>
        runDeployAks(ctx, flags, action, adapters),
      );
    });
}
