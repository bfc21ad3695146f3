/** What `mosaic deploy aks` tells the person running it; the command renders these on stderr. */
export type AksEvent =
  | {
      type: "azure";
      /** Resource as "resource group mosaic", "cluster mosaic/mosaic", … */
      target: string;
      outcome: "found" | "created" | "updated" | "kept" | "deleted" | "absent" | "checked" | "unchecked";
      detail?: string | undefined;
    }
  | {
      type: "object";
      target: string;
      outcome: "created" | "updated" | "unchanged" | "deleted" | "kept";
      detail?: string | undefined;
    }
  | { type: "wait"; what: string; elapsedSeconds: number }
  | {
      type: "job";
      job: string;
      total: number;
      succeeded: number;
      failed: number;
      active: number;
      /** Pods that failed and were retried (their index has not failed for good). */
      retries: number;
      /** Indexes that failed for good, as Kubernetes writes them ("1,4-5"); "" when none. */
      failedIndexes: string;
    }
  | { type: "endpoint"; url: string };

export interface AksReporter {
  emit(event: AksEvent): void;
}

/** One line for people. */
export function formatAksEvent(event: AksEvent): string {
  switch (event.type) {
    case "azure":
    case "object":
      return `${event.outcome.padEnd(9)} ${event.target}${event.detail ? ` (${event.detail})` : ""}`;
    case "wait":
      return `waiting   ${event.what} (${Math.round(event.elapsedSeconds)} s)`;
    case "job": {
      const parts = [`${event.succeeded}/${event.total} shards done`, `${event.active} running`];
      if (event.retries > 0) parts.push(`${event.retries} retried`);
      if (event.failedIndexes) parts.push(`failed: ${event.failedIndexes}`);
      return `job       ${event.job}: ${parts.join(", ")}`;
    }
    case "endpoint":
      return `endpoint  ${event.url}`;
  }
}
