import { MosaicError } from "../../errors.js";
import type { AksReporter } from "./aks-events.js";
import type { AksSettings } from "./aks-settings.js";
import { applyObject } from "./apply-objects.js";
import type { Clock } from "./clock.js";
import { followJob, jobState } from "./follow-job.js";
import { buildFeaturizeJob, buildMergeJob, type FeaturizeJobPlan } from "./job-manifests.js";
import { describeRef, type KubeClient, type KubeObject, refOf } from "./kube-client.js";
import type { PodConfig } from "./pod-config.js";
import type { Placement } from "./pod-parts.js";
import { buildNamespace } from "./serve-manifests.js";
import { withSpecHash } from "./spec-hash.js";

export interface JobRunOptions {
  clock: Clock;
  reporter: AksReporter;
  pollMs: number;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface FeaturizeJobResult {
  featurizeJob: string;
  mergeJob: string;
  /** Where the merged index was published. */
  index: string;
}

/** The Job objects of a run, in order: the Indexed featurize Job, then the merge Job. */
export function featurizeJobObjects(
  settings: AksSettings,
  placement: Placement,
  pod: PodConfig,
  plan: FeaturizeJobPlan,
): KubeObject[] {
  return [buildFeaturizeJob(settings, placement, pod, plan), buildMergeJob(settings, placement, pod, plan)];
}

/**
 * Scale-out featurization: submits the Indexed Job (or finds the one this same plan submitted before),
 * follows it to completion, then does the same with the merge Job. Re-running after an interruption
 * picks up the Jobs where they are; a Job that already failed must be deleted first.
 */
export async function runFeaturizeJob(
  kube: KubeClient,
  settings: AksSettings,
  placement: Placement,
  pod: PodConfig,
  plan: FeaturizeJobPlan,
  options: JobRunOptions,
): Promise<FeaturizeJobResult> {
  const namespace = buildNamespace(settings);
  options.reporter.emit({
    type: "object",
    target: describeRef(refOf(namespace)),
    outcome: await applyObject(kube, namespace),
  });
  const [featurize, merge] = featurizeJobObjects(settings, placement, pod, plan) as [KubeObject, KubeObject];
  await submitAndFollow(kube, featurize, plan.shards, settings.shardRetries, options);
  await submitAndFollow(kube, merge, 1, 2, options);
  return { featurizeJob: featurize.metadata.name, mergeJob: merge.metadata.name, index: plan.out };
}

async function submitAndFollow(
  kube: KubeClient,
  job: KubeObject,
  total: number,
  retriesPerIndex: number,
  options: JobRunOptions,
): Promise<void> {
  const ref = refOf(job);
  const target = describeRef(ref);
  const existing = await kube.read(ref);
  if (existing === undefined) {
    await kube.create(withSpecHash(job));
    options.reporter.emit({ type: "object", target, outcome: "created" });
  } else {
    const state = jobState(existing);
    if (state === "failed") {
      throw new MosaicError(`${target} from an earlier run of this same plan has failed.`, {
        hint: `Look at its logs (\`kubectl logs -n ${ref.namespace} job/${ref.name}\`), then delete it (\`kubectl delete job -n ${ref.namespace} ${ref.name}\`) and run again.`,
      });
    }
    options.reporter.emit({
      type: "object",
      target,
      outcome: "unchanged",
      detail: state === "complete" ? "already complete" : "already running",
    });
  }
  await followJob(
    kube,
    { namespace: ref.namespace ?? "default", name: ref.name },
    { ...options, total, retriesPerIndex },
  );
}
