import type { CatalogIssueReason } from "../catalog/artwork.js";
import type { AksEvent } from "./aks-event.js";
import type { ImageFailureReason } from "./image-failure-reason.js";

/** Pipeline stages in data-flow order; the dashboard shows one line per stage. */
export const STAGES = ["catalog", "download", "decode", "embed", "index"] as const;
export type Stage = (typeof STAGES)[number];

export type FailureReason = CatalogIssueReason | ImageFailureReason | "embed_failed";

export interface EngineInfo {
  model: string;
  device: string;
  batchSize: number;
  threads: number;
}

export interface FeaturizeSummary {
  rowsRead: number;
  indexed: number;
  /** With --append: rows whose id the index already held (left as they are). */
  alreadyIndexed?: number;
  failed: number;
  failuresByReason: Partial<Record<FailureReason, number>>;
  outDir: string | null;
  seconds: number;
  dryRun: boolean;
  interrupted: boolean;
}

/** One sample of one GPU, as read from nvidia-smi. */
export interface GpuSample {
  index: number;
  name: string;
  utilization: number;
  memoryUsedMiB: number;
  memoryTotalMiB: number;
  temperatureC: number;
  powerW: number;
}

/** Process stats shown instead of GPU data when no GPU is found. */
export interface ProcessSample {
  cpuPercent: number;
  rssBytes: number;
}

/** Everything a long job tells its reporter. Reporters (ink, plain, json) render the same stream. */
export type FeaturizeEvent =
  | { type: "start"; at: number; engine: EngineInfo; catalog: string; total: number | null }
  /** `done` counts items that finished the stage (ok), `failed` those that failed in it. */
  | { type: "progress"; at: number; stage: Stage; done: number; failed: number; total: number | null }
  | {
      type: "item-failed";
      at: number;
      stage: Stage;
      row: number;
      id: string | undefined;
      reason: FailureReason;
      message: string;
    }
  | { type: "stage-done"; at: number; stage: Stage; done: number; failed: number }
  | { type: "gpu"; at: number; gpus: GpuSample[]; process: ProcessSample; note: string | null }
  | { type: "stopping"; at: number; reason: string }
  | { type: "done"; at: number; summary: FeaturizeSummary };

/**
 * Every event of every job, as one stream: the featurize pipeline's, a line from a tool mosaic drives
 * (docker output, what a container takes from this environment), and deploy aks progress.
 */
export type JobEvent =
  | FeaturizeEvent
  /** A line for people; the JSON reporter writes it as `{"type":"log","line":…}`. */
  | { type: "log"; line: string }
  /** The JSON reporter writes the AKS event itself with its type prefixed: `{"type":"aks-job",…}`. */
  | { type: "aks"; event: AksEvent };

/** Where core code sends its events. Reporters implement it; tests collect into an array. */
export interface Reporter {
  emit(event: JobEvent): void;
  /** Short single-step waits (model conversion, index load) without a dashboard. */
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
  /** A one-line remark for people (which device runs the model and why); not part of the event stream. */
  note(text: string): void;
  close(): Promise<void> | void;
}
