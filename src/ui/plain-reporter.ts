import type { JobEvent, Reporter } from "../contracts/events.js";
import {
  type DashboardState,
  initialDashboardState,
  reduceDashboard,
  type StageProgress,
} from "./dashboard-state.js";
import {
  formatBytes,
  formatClock,
  formatCount,
  formatDevice,
  formatDuration,
  formatEta,
  formatFraction,
  formatMemory,
  formatPercent,
  formatRate,
  oneLine,
} from "./format.js";
import { isLineEvent, lineOf } from "./job-lines.js";
import { runStep } from "./run-step.js";
import { failureExampleText, formatSummary } from "./summary-lines.js";
import { colorEnabled, type Env, isInteractive } from "./terminal-env.js";
import type { TextStream } from "./text-stream.js";

export interface PlainReporterOptions {
  /** Least event time between two progress lines (stage ends and the summary always print). */
  intervalMs?: number;
  /** Milliseconds clock, used only to time step(); progress is throttled by event time. */
  now?: () => number;
  env: Env;
}

/**
 * Line-oriented reporter for logs, pipes and CI: no ANSI, no cursor movement. Prints a progress line
 * at most every `intervalMs` of event time, one line per finished stage, and a summary with failures.
 */
export function createPlainReporter(stream: TextStream, options: PlainReporterOptions): Reporter {
  const intervalMs = options.intervalMs ?? 3000;
  const now = options.now ?? Date.now;
  const env = options.env;
  let state = initialDashboardState();
  let lastLineAt: number | null = null;
  let unprinted = false;

  const line = (text: string) => {
    stream.write(`[${formatClock(state.elapsedSeconds)}] ${text}\n`);
  };
  const progress = (at: number) => {
    line(progressText(state));
    lastLineAt = at;
    unprinted = false;
  };

  return {
    emit(event: JobEvent) {
      if (isLineEvent(event)) {
        stream.write(`${lineOf(event)}\n`);
        return;
      }
      state = reduceDashboard(state, event);
      switch (event.type) {
        case "start":
          line(startText(state));
          lastLineAt = event.at;
          return;
        case "stage-done": {
          const stage = state.stages.find((s) => s.stage === event.stage);
          if (stage) line(stageDoneText(stage));
          lastLineAt = event.at;
          unprinted = false;
          return;
        }
        case "stopping":
          line(`stopping (${oneLine(event.reason)}): finishing work in flight…`);
          return;
        case "done":
          for (const text of doneLines(state)) stream.write(`${text}\n`);
          unprinted = false;
          return;
        default:
          unprinted = true;
          if (lastLineAt === null) lastLineAt = event.at;
          else if (event.at - lastLineAt >= intervalMs) progress(event.at);
      }
    },
    note(text) {
      stream.write(`${text}\n`);
    },
    step(label, work) {
      return runStep(stream, label, work, {
        interactive: isInteractive(stream.isTTY, env),
        color: colorEnabled(env),
        now,
      });
    },
    close() {
      // A run that ends without "done" (an error) still leaves its last known progress in the log.
      if (unprinted && state.status !== "done") progress(state.lastAt ?? 0);
    },
  };
}

function startText(state: DashboardState): string {
  const rows = state.total === null ? "" : ` (${formatCount(state.total)} rows)`;
  const engine = state.engine;
  const how =
    engine === null
      ? ""
      : ` with ${engine.model} on ${formatDevice(engine.device)} (batch ${engine.batchSize}, ${engine.threads} threads)`;
  return `featurizing ${state.catalog ?? "catalog"}${rows}${how}`;
}

function progressText(state: DashboardState): string {
  const active = state.stages.filter((s) => s.startedAt !== null && s.finishedAt === null);
  const parts = active.length > 0 ? active.map(stageText) : ["waiting for work"];
  if (state.failedTotal > 0) parts.push(`${formatCount(state.failedTotal)} failed`);
  const hardware = hardwareText(state);
  if (hardware !== null) parts.push(hardware);
  return parts.join(" | ");
}

function stageText(s: StageProgress): string {
  const processed = formatCount(s.done + s.failed);
  if (s.total === null) return `${s.stage} ${processed} ${formatRate(s.rate)}`;
  const fraction = s.total === 0 ? null : (s.done + s.failed) / s.total;
  return `${s.stage} ${processed}/${formatCount(s.total)} ${formatFraction(fraction)} ${formatRate(s.rate)} ${formatEta(s.etaSeconds)}`;
}

function hardwareText(state: DashboardState): string | null {
  if (state.gpus.length > 0) {
    return state.gpus
      .map(
        ({ sample }) =>
          `gpu${sample.index} ${formatPercent(sample.utilization)} ${formatMemory(sample.memoryUsedMiB, sample.memoryTotalMiB)}`,
      )
      .join(" ");
  }
  if (state.process === null) return null;
  return `cpu ${formatPercent(state.process.cpuPercent)} rss ${formatBytes(state.process.rssBytes)}`;
}

function stageDoneText(s: StageProgress): string {
  const seconds = s.startedAt !== null && s.finishedAt !== null ? (s.finishedAt - s.startedAt) / 1000 : 0;
  const failed = s.failed > 0 ? `, ${formatCount(s.failed)} failed` : "";
  return `${s.stage} done: ${formatCount(s.done)} ok${failed} in ${formatDuration(seconds)} (${formatRate(s.rate)})`;
}

function doneLines(state: DashboardState): string[] {
  const lines = state.summary === null ? [] : formatSummary(state.summary);
  for (const group of state.failures) {
    lines.push(`  ${group.reason} (${formatCount(group.count)}), latest:`);
    for (const example of group.examples) lines.push(`    ${oneLine(failureExampleText(example))}`);
  }
  return lines;
}
