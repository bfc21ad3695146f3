/** What `mosaic deploy aks` tells the person running it; the chosen reporter renders them (as `{ type: "aks", event }` in the job event stream). */
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
