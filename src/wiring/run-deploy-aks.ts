import { readFile } from "node:fs/promises";
import path from "node:path";
import type { AksReporter } from "../deploy/aks/aks-events.js";
import {
  isBlobish,
  requireImage,
  requireIndex,
  resolveAksSettings,
  workPrefix,
} from "../deploy/aks/aks-settings.js";
import { checkPlaceholders } from "../deploy/aks/check-placeholders.js";
import { type Clock, systemClock } from "../deploy/aks/clock.js";
import type { CloudClient } from "../deploy/aks/cloud-client.js";
import {
  type AksAction,
  type AksDeps,
  deleteAks,
  deployAks,
  planAks,
  runAksFeaturizeJob,
} from "../deploy/aks/deploy-aks.js";
import { formatPlan } from "../deploy/aks/format-plan.js";
import type { KubeClient } from "../deploy/aks/kube-client.js";
import { podConfigFrom } from "../deploy/aks/pod-config.js";
import { UsageError } from "../errors.js";
import { createAzureCloud } from "../infra/azure-cloud.js";
import { createKubeClient } from "../infra/kube-client-node.js";
import type { Context } from "./context.js";

export interface AksFlags {
  dryRun?: boolean;
  delete?: boolean;
  job?: "featurize";
  shards?: number;
  catalog?: string;
  out?: string;
  image?: string;
  index?: string;
  kubeconfig?: string;
  timeout?: number;
}

/** Adapters the command uses; tests replace them. */
export interface AksAdapters {
  cloud(subscriptionId: string | undefined): CloudClient;
  connectKube(kubeconfig: string): KubeClient;
  clock: Clock;
  pollMs: number;
}

export const realAdapters: AksAdapters = {
  cloud: (subscriptionId) => createAzureCloud({ subscriptionId }),
  connectKube: createKubeClient,
  clock: systemClock,
  pollMs: 5_000,
};

/** The config flags `deploy aks` layers over the file: only those given (an undefined key would hide the file's value). */
export function aksConfigFlags(flags: AksFlags): Record<string, unknown> {
  // Only the flags given: an undefined key would hide the config file's value in the merge.
  const aksFlags = {
    ...(flags.image ? { image: flags.image } : {}),
    ...(flags.index ? { index: flags.index } : {}),
  };
  return {
    catalog: flags.catalog,
    ...(Object.keys(aksFlags).length > 0 ? { aks: aksFlags } : {}),
  };
}

/** `mosaic deploy aks`: plan, deploy, run a featurize job or delete, per the flags (checked by actionOf first). */
export async function runDeployAks(
  ctx: Context,
  flags: AksFlags,
  action: "serve" | "featurize" | "delete",
  adapters: AksAdapters = realAdapters,
): Promise<void> {
  const io = ctx.io;
  const reporter: AksReporter = { emit: (event) => ctx.reporter.emit({ type: "aks", event }) };
  const settings = resolveAksSettings(ctx.config.aks);
  // Before the plan too: a dry run that prints `<registry>` as if it would work misleads.
  checkPlaceholders({
    "aks.image": settings.image,
    "aks.index": settings.index,
    "aks.registry": settings.registry,
    "aks.subscription": settings.subscription,
    "aks.ingressHost": settings.ingressHost,
    "aks.work": settings.work,
    "azure.account": ctx.config.azure?.account,
    "azure.container": ctx.config.azure?.container,
    ...(action === "featurize" ? { catalog: ctx.config.catalog, "--out": flags.out } : {}),
  });
  const pod = podConfigFrom(ctx.config, settings.cpu);
  const plannedAction: AksAction =
    action === "featurize"
      ? {
          kind: "featurize",
          plan: jobPlan(flags, ctx.config.catalog, settings.index, (out) => workPrefix(settings, out)),
        }
      : { kind: action };
  if (flags.dryRun) {
    const plan = await planAks(settings, pod, plannedAction, {
      useKubeconfig: flags.kubeconfig !== undefined,
    });
    ctx.out(ctx.json ? JSON.stringify(plan) : formatPlan(plan));
    return;
  }
  // A missing image or index stops the run before any Azure client or credential is touched.
  if (plannedAction.kind !== "delete") requireImage(settings);
  if (plannedAction.kind === "serve") requireIndex(settings);
  const kubeconfig = flags.kubeconfig
    ? await readKubeconfig(path.resolve(ctx.cwd, flags.kubeconfig))
    : undefined;
  const deps: AksDeps = {
    cloud:
      kubeconfig === undefined
        ? adapters.cloud(settings.subscription ?? io.env.AZURE_SUBSCRIPTION_ID)
        : undefined,
    kubeconfig,
    connectKube: adapters.connectKube,
    reporter,
    clock: adapters.clock,
    signal: ctx.signal,
  };
  const timeoutMs = (flags.timeout ?? (action === "featurize" ? 86_400 : 600)) * 1000;
  if (plannedAction.kind === "delete") {
    await deleteAks(deps, settings);
    if (ctx.json) ctx.out(JSON.stringify({ deleted: true }));
  } else if (plannedAction.kind === "featurize") {
    const result = await runAksFeaturizeJob(deps, settings, pod, plannedAction.plan, {
      timeoutMs,
      pollMs: adapters.pollMs * 2,
    });
    ctx.out(ctx.json ? JSON.stringify(result) : result.index);
  } else {
    const result = await deployAks(deps, settings, pod, { timeoutMs, pollMs: adapters.pollMs });
    ctx.out(ctx.json ? JSON.stringify(result) : result.endpoint);
  }
}

export function actionOf(flags: AksFlags): "serve" | "featurize" | "delete" {
  if (flags.delete && flags.job) throw new UsageError("--delete and --job cannot be combined.");
  if (flags.shards !== undefined && flags.job === undefined) {
    throw new UsageError("--shards needs --job featurize.", {
      hint: "mosaic deploy aks --job featurize --shards 8",
    });
  }
  if ((flags.catalog !== undefined || flags.out !== undefined) && flags.job === undefined) {
    throw new UsageError("--catalog and --out go with --job featurize.", {
      hint: "To serve another index, pass --index <blob location>.",
    });
  }
  if (flags.job === "featurize" && flags.shards === undefined) {
    throw new UsageError("--job featurize needs --shards <n>.", {
      hint: "mosaic deploy aks --job featurize --shards 8",
    });
  }
  return flags.delete ? "delete" : flags.job === "featurize" ? "featurize" : "serve";
}

function jobPlan(
  flags: AksFlags,
  catalog: string | undefined,
  index: string | undefined,
  work: (out: string) => string,
) {
  if (!catalog || !isBlobish(catalog)) {
    throw new UsageError(
      "The featurize job needs a catalog the pods can read: a blob (az://…) or http(s) location.",
      {
        hint: "Upload the catalog to Blob Storage and pass --catalog az://<container>/catalog.tsv (or set catalog in the config).",
      },
    );
  }
  const out = flags.out ?? index;
  if (!out || !isBlobish(out)) {
    throw new UsageError("The featurize job needs a blob location for the merged index.", {
      hint: "Pass --out az://<container>/index, or set aks.index (the service then serves what the job built).",
    });
  }
  return { catalog, out, work: work(out), shards: flags.shards! };
}

async function readKubeconfig(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    throw new UsageError(`Cannot read the kubeconfig ${file}.`, {
      hint: "Check the --kubeconfig path.",
      cause,
    });
  }
}
