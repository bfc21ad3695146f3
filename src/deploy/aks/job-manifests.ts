import type { AksSettings } from "./aks-settings.js";
import { requireImage } from "./aks-settings.js";
import type { KubeObject } from "./kube-client.js";
import { type Component, mosaicLabels } from "./labels.js";
import type { PodConfig } from "./pod-config.js";
import {
  containerSecurityContext,
  type Placement,
  podPlacement,
  podResources,
  storageEnvFrom,
} from "./pod-parts.js";
import { specHash } from "./spec-hash.js";

/** One scale-out featurize run: N shards of `catalog` into `<work>/parts/<i>`, then merged into `out`. */
export interface FeaturizeJobPlan {
  catalog: string;
  /** Where the merged index is published. */
  out: string;
  /** Prefix of the partial indexes. */
  work: string;
  shards: number;
}

/** Exit code of a usage or config error: the same pod would fail the same way, so it is not retried. */
const USAGE_EXIT = 2;
/** Kubernetes finished jobs are kept a week for their status and logs, then garbage-collected. */
const KEEP_FINISHED_SECONDS = 7 * 24 * 3600;

export function partLocation(work: string, index: number | string): string {
  return `${work}/parts/${index}`;
}

/**
 * The Indexed Job: pod i runs `mosaic featurize --shard i/N` (Kubernetes sets JOB_COMPLETION_INDEX),
 * and a failed shard is retried on its own up to aks.shardRetries times (backoffLimitPerIndex).
 */
export function buildFeaturizeJob(
  settings: AksSettings,
  placement: Placement,
  pod: PodConfig,
  plan: FeaturizeJobPlan,
): KubeObject {
  const index = "$(JOB_COMPLETION_INDEX)";
  const args = [
    "featurize",
    "--catalog",
    plan.catalog,
    "--out",
    partLocation(plan.work, index),
    "--shard",
    `${index}/${plan.shards}`,
    ...pod.featurizeFlags,
  ];
  return named(settings, "featurize", {
    completionMode: "Indexed",
    completions: plan.shards,
    parallelism: Math.min(plan.shards, settings.parallelism ?? plan.shards),
    backoffLimitPerIndex: settings.shardRetries,
    podFailurePolicy: {
      rules: [
        {
          action: "FailIndex",
          onExitCodes: { containerName: "featurize", operator: "In", values: [USAGE_EXIT] },
        },
        // A drained node or a preempted pod is not the shard's fault: retry without counting it.
        { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
      ],
    },
    ttlSecondsAfterFinished: KEEP_FINISHED_SECONDS,
    template: podTemplate(settings, placement, pod, "featurize", args, [
      {
        // Set explicitly so $(JOB_COMPLETION_INDEX) in args expands on every Kubernetes version.
        name: "JOB_COMPLETION_INDEX",
        valueFrom: {
          fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
        },
      },
    ]),
  });
}

/** One pod: `mosaic index merge <out> <work>/parts/0 … parts/N-1`, run once every shard succeeded. */
export function buildMergeJob(
  settings: AksSettings,
  placement: Placement,
  pod: PodConfig,
  plan: FeaturizeJobPlan,
): KubeObject {
  const parts = Array.from({ length: plan.shards }, (_, i) => partLocation(plan.work, i));
  return named(settings, "merge", {
    completions: 1,
    parallelism: 1,
    backoffLimit: 2,
    podFailurePolicy: {
      rules: [
        { action: "FailJob", onExitCodes: { containerName: "merge", operator: "In", values: [USAGE_EXIT] } },
        { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
      ],
    },
    ttlSecondsAfterFinished: KEEP_FINISHED_SECONDS,
    template: podTemplate(settings, placement, pod, "merge", ["index", "merge", plan.out, ...parts], []),
  });
}

function podTemplate(
  settings: AksSettings,
  placement: Placement,
  pod: PodConfig,
  component: Component,
  args: string[],
  extraEnv: unknown[],
) {
  return {
    metadata: { labels: mosaicLabels(settings.name, component) },
    spec: {
      ...podPlacement(settings, placement),
      restartPolicy: "Never",
      containers: [
        {
          name: component,
          image: requireImage(settings),
          args,
          env: [...extraEnv, ...pod.env],
          envFrom: storageEnvFrom(settings),
          resources: podResources(settings),
          securityContext: containerSecurityContext(),
        },
      ],
    },
  };
}

/** Job names carry a hash of the spec: the same run finds its Job again, a changed one gets a new Job. */
function named(settings: AksSettings, component: Component, spec: Record<string, unknown>): KubeObject {
  const draft: KubeObject = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "", namespace: settings.namespace, labels: mosaicLabels(settings.name, component) },
    spec,
  };
  // Job names become pod label values: at most 63 characters.
  const name = `${settings.name.slice(0, 40)}-${component}-${specHash(draft).slice(0, 8)}`;
  return { ...draft, metadata: { ...draft.metadata, name } };
}
