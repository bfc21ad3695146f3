import {
  type EngineInfo,
  type FailureReason,
  type FeaturizeEvent,
  type FeaturizeSummary,
  type GpuSample,
  type ProcessSample,
  STAGES,
  type Stage,
} from "../contracts/events.js";

/** Rates are measured over windows at least this long, so bursts (one batch of 32) don't read as spikes. */
export const RATE_WINDOW_MS = 1000;
/** Time constant of the rate's exponential moving average: older windows fade with e^(-Δt/τ). */
export const RATE_TIME_CONSTANT_MS = 5000;
/** How much utilization history each GPU keeps for its sparkline. */
export const HISTORY_MS = 60_000;
/** Latest failure examples kept per reason. */
export const EXAMPLES_PER_REASON = 3;

export type DashboardStatus = "idle" | "running" | "stopping" | "done";

export interface StageProgress {
  readonly stage: Stage;
  readonly done: number;
  readonly failed: number;
  readonly total: number | null;
  /** Smoothed items/s (ok + failed); null until a full rate window has passed. After stage-done, the average. */
  readonly rate: number | null;
  /** Seconds left at the current rate; null when the total or the rate is unknown. */
  readonly etaSeconds: number | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  /** Start of the current rate window (event time) and the count at that moment. */
  readonly windowAt: number | null;
  readonly windowCount: number;
}

export interface FailureExample {
  readonly stage: Stage;
  readonly row: number;
  readonly id: string | undefined;
  readonly message: string;
  readonly at: number;
}

export interface FailureGroup {
  readonly reason: FailureReason;
  readonly count: number;
  /** Newest first, at most EXAMPLES_PER_REASON. */
  readonly examples: readonly FailureExample[];
}

export interface HistoryPoint {
  readonly at: number;
  readonly value: number;
}

export interface GpuView {
  readonly sample: GpuSample;
  /** Utilization % over the last HISTORY_MS, oldest first. */
  readonly history: readonly HistoryPoint[];
}

export interface DashboardState {
  readonly status: DashboardStatus;
  readonly startedAt: number | null;
  /** Time of the latest event; the dashboard's notion of "now". */
  readonly lastAt: number | null;
  readonly elapsedSeconds: number;
  readonly catalog: string | null;
  readonly total: number | null;
  readonly engine: EngineInfo | null;
  /** One entry per stage, in STAGES order. */
  readonly stages: readonly StageProgress[];
  readonly failedTotal: number;
  /** Most frequent reason first. */
  readonly failures: readonly FailureGroup[];
  readonly gpus: readonly GpuView[];
  readonly process: ProcessSample | null;
  /** CPU % of this process over the last HISTORY_MS, shown when there is no GPU. */
  readonly processHistory: readonly HistoryPoint[];
  /** Why GPU data is missing (from the probe), or null. */
  readonly gpuNote: string | null;
  readonly stopReason: string | null;
  readonly summary: FeaturizeSummary | null;
}

export function initialDashboardState(): DashboardState {
  return {
    status: "idle",
    startedAt: null,
    lastAt: null,
    elapsedSeconds: 0,
    catalog: null,
    total: null,
    engine: null,
    stages: STAGES.map(emptyStage),
    failedTotal: 0,
    failures: [],
    gpus: [],
    process: null,
    processHistory: [],
    gpuNote: null,
    stopReason: null,
    summary: null,
  };
}

function emptyStage(stage: Stage): StageProgress {
  return {
    stage,
    done: 0,
    failed: 0,
    total: null,
    rate: null,
    etaSeconds: null,
    startedAt: null,
    finishedAt: null,
    windowAt: null,
    windowCount: 0,
  };
}

/** Pure: folds one event into a new state; the old state is never modified. */
export function reduceDashboard(state: DashboardState, event: FeaturizeEvent): DashboardState {
  const next = withClock(state, event.at);
  switch (event.type) {
    case "start":
      return {
        ...next,
        status: "running",
        startedAt: state.startedAt ?? event.at,
        elapsedSeconds: state.startedAt === null ? 0 : next.elapsedSeconds,
        engine: event.engine,
        catalog: event.catalog,
        total: event.total,
      };
    case "progress":
      return {
        ...next,
        status: next.status === "idle" ? "running" : next.status,
        stages: updateStage(next.stages, event.stage, (s) => progressStage(s, event)),
      };
    case "stage-done":
      return { ...next, stages: updateStage(next.stages, event.stage, (s) => finishStage(s, event)) };
    case "item-failed":
      return { ...next, failedTotal: next.failedTotal + 1, failures: addFailure(next.failures, event) };
    case "gpu":
      return {
        ...next,
        gpus: event.gpus.map((sample) => ({
          sample,
          history: pushHistory(
            next.gpus.find((g) => g.sample.index === sample.index)?.history ?? [],
            event.at,
            sample.utilization,
          ),
        })),
        process: event.process,
        processHistory: pushHistory(next.processHistory, event.at, event.process.cpuPercent),
        gpuNote: event.note,
      };
    case "stopping":
      return { ...next, status: next.status === "done" ? "done" : "stopping", stopReason: event.reason };
    case "done":
      return { ...next, status: "done", summary: event.summary };
    default:
      return ignoreUnknown(event, state);
  }
}

function withClock(state: DashboardState, at: number): DashboardState {
  const lastAt = state.lastAt === null ? at : Math.max(state.lastAt, at);
  const startedAt = state.startedAt ?? at;
  return { ...state, startedAt, lastAt, elapsedSeconds: Math.max(0, (lastAt - startedAt) / 1000) };
}

function updateStage(
  stages: readonly StageProgress[],
  stage: Stage,
  update: (s: StageProgress) => StageProgress,
): readonly StageProgress[] {
  return stages.map((s) => (s.stage === stage ? update(s) : s));
}

function progressStage(
  s: StageProgress,
  event: Extract<FeaturizeEvent, { type: "progress" }>,
): StageProgress {
  const count = event.done + event.failed;
  const total = event.total ?? s.total;
  const base = { ...s, done: event.done, failed: event.failed, total, startedAt: s.startedAt ?? event.at };
  if (s.windowAt === null) {
    return { ...base, windowAt: event.at, windowCount: count, etaSeconds: eta(total, count, s.rate) };
  }
  const dt = event.at - s.windowAt;
  if (dt < RATE_WINDOW_MS) return { ...base, etaSeconds: eta(total, count, s.rate) };
  const instant = (Math.max(0, count - s.windowCount) * 1000) / dt;
  const alpha = 1 - Math.exp(-dt / RATE_TIME_CONSTANT_MS);
  const rate = s.rate === null ? instant : alpha * instant + (1 - alpha) * s.rate;
  return { ...base, rate, windowAt: event.at, windowCount: count, etaSeconds: eta(total, count, rate) };
}

function finishStage(
  s: StageProgress,
  event: Extract<FeaturizeEvent, { type: "stage-done" }>,
): StageProgress {
  const count = event.done + event.failed;
  const startedAt = s.startedAt ?? event.at;
  const seconds = (event.at - startedAt) / 1000;
  return {
    ...s,
    done: event.done,
    failed: event.failed,
    // A finished stage's total is what it processed (the up-front estimate may have been off).
    total: count,
    rate: seconds > 0 ? count / seconds : s.rate,
    etaSeconds: 0,
    startedAt,
    finishedAt: event.at,
  };
}

function eta(total: number | null, count: number, rate: number | null): number | null {
  if (total === null || rate === null) return null;
  const left = Math.max(0, total - count);
  if (left === 0) return 0;
  return rate > 0 ? left / rate : null;
}

function addFailure(
  failures: readonly FailureGroup[],
  event: Extract<FeaturizeEvent, { type: "item-failed" }>,
): readonly FailureGroup[] {
  const example: FailureExample = {
    stage: event.stage,
    row: event.row,
    id: event.id,
    message: event.message,
    at: event.at,
  };
  const existing = failures.find((f) => f.reason === event.reason);
  const updated: FailureGroup = existing
    ? {
        reason: event.reason,
        count: existing.count + 1,
        examples: [example, ...existing.examples].slice(0, EXAMPLES_PER_REASON),
      }
    : { reason: event.reason, count: 1, examples: [example] };
  const list = existing ? failures.map((f) => (f === existing ? updated : f)) : [...failures, updated];
  // Array.prototype.sort is stable: equal counts keep first-seen order.
  return list.sort((a, b) => b.count - a.count);
}

function pushHistory(history: readonly HistoryPoint[], at: number, value: number): readonly HistoryPoint[] {
  return [...history.filter((p) => p.at > at - HISTORY_MS && p.at <= at), { at, value }];
}

/** Compile-time exhaustiveness; at run time an event from a newer producer is ignored, not fatal. */
function ignoreUnknown(_event: never, state: DashboardState): DashboardState {
  return state;
}

/** Fraction of a stage's total that has finished (ok or failed); null when the total is unknown. */
export function stageFraction(s: StageProgress): number | null {
  if (s.finishedAt !== null) return 1;
  if (s.total === null || s.total === 0) return null;
  return (s.done + s.failed) / s.total;
}
