import { ExternalError, MosaicError, throwIfAborted } from "../../errors.js";
import type { AksEvent, AksReporter } from "./aks-events.js";
import type { Clock } from "./clock.js";
import { countIndexRanges } from "./index-ranges.js";
import type { KubeClient, KubeObject } from "./kube-client.js";

/** The fields of a Job's status mosaic reads. */
export interface JobStatus {
  active?: number;
  succeeded?: number;
  failed?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

export type JobState = "running" | "complete" | "failed";

export function jobState(job: KubeObject): JobState {
  const conditions = (job.status as JobStatus | undefined)?.conditions ?? [];
  const holds = (type: string) => conditions.some((c) => c.type === type && c.status === "True");
  return holds("Failed") ? "failed" : holds("Complete") ? "complete" : "running";
}

export interface FollowOptions {
  /** Completions the job needs (shards). */
  total: number;
  /** Pod retries allowed per index, to tell retried pods from failed indexes. */
  retriesPerIndex: number;
  pollMs: number;
  timeoutMs: number;
  clock: Clock;
  reporter: AksReporter;
  signal?: AbortSignal | undefined;
}

/**
 * Polls a Job until it completes, reporting progress whenever it changes (shards done, running,
 * retried, failed for good). Throws ExternalError naming the failed indexes when the Job fails.
 */
export async function followJob(
  kube: KubeClient,
  job: { namespace: string; name: string },
  options: FollowOptions,
): Promise<void> {
  const started = options.clock.now();
  let last = "";
  for (;;) {
    throwIfAborted(options.signal);
    const current = await kube.read({ apiVersion: "batch/v1", kind: "Job", ...job });
    if (current === undefined) {
      throw new MosaicError(`Job ${job.namespace}/${job.name} disappeared while mosaic was following it.`, {
        hint: "Someone deleted it (or its TTL expired). Run the command again to start it anew.",
      });
    }
    const status = (current.status ?? {}) as JobStatus;
    const failedIndexes = status.failedIndexes ?? "";
    const event: AksEvent = {
      type: "job",
      job: job.name,
      total: options.total,
      succeeded:
        status.completedIndexes !== undefined
          ? countIndexRanges(status.completedIndexes)
          : (status.succeeded ?? 0),
      failed: countIndexRanges(failedIndexes),
      active: status.active ?? 0,
      retries: Math.max(
        0,
        (status.failed ?? 0) - countIndexRanges(failedIndexes) * (options.retriesPerIndex + 1),
      ),
      failedIndexes,
    };
    const key = JSON.stringify(event);
    if (key !== last) options.reporter.emit(event);
    last = key;

    const state = jobState(current);
    if (state === "complete") return;
    if (state === "failed") throw jobFailed(job, status);
    if (options.clock.now() - started >= options.timeoutMs) {
      throw new MosaicError(
        `Job ${job.namespace}/${job.name} did not finish within ${Math.round(options.timeoutMs / 1000)} s.`,
        {
          hint: `It keeps running in the cluster. Follow it with \`kubectl get job -n ${job.namespace} ${job.name} -w\`; running the same command again picks it up where it is.`,
        },
      );
    }
    await options.clock.sleep(options.pollMs, options.signal);
  }
}

function jobFailed(job: { namespace: string; name: string }, status: JobStatus): ExternalError {
  const failed = status.failedIndexes;
  const condition = status.conditions?.find((c) => c.type === "Failed" && c.status === "True");
  const why = condition?.message ?? condition?.reason ?? "failed";
  const which = failed ? ` (failed indexes: ${failed})` : "";
  const logs = failed
    ? `kubectl logs -n ${job.namespace} -l job-name=${job.name},batch.kubernetes.io/job-completion-index=${failed.split(/[,-]/)[0]}`
    : `kubectl logs -n ${job.namespace} job/${job.name}`;
  return new ExternalError(`Job ${job.namespace}/${job.name} failed${which}: ${why}`, {
    hint: `See why with \`${logs}\`. After fixing it, delete the job (\`kubectl delete job -n ${job.namespace} ${job.name}\`) and run again.`,
  });
}
