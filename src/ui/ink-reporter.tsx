import type { FeaturizeEvent, JobEvent, Reporter } from "../contracts/events.js";
import { Dashboard } from "./components/Dashboard.js";
import { createInkMount } from "./ink-mount.js";
import { initialDashboardState, reduceDashboard } from "./dashboard-state.js";
import { isLineEvent, lineOf } from "./job-lines.js";
import { runStep } from "./run-step.js";
import { colorEnabled, type Env, isInteractive } from "./terminal-env.js";
import type { TextStream } from "./text-stream.js";

export interface InkReporterOptions {
  env: Env;
  /** Overrides colour detection from env (--no-color). */
  color?: boolean;
  /** Milliseconds clock for step() durations. */
  now?: () => number;
  /** Coalesce events into at most one React render per this many ms; 0 renders every event. */
  frameMs?: number;
}

/** Events that change what the dashboard means, not just its numbers, draw at once. */
const URGENT = new Set<FeaturizeEvent["type"]>(["start", "stage-done", "stopping", "done"]);

/**
 * Live Ink dashboard on `stream` (stderr). Events are folded by the pure reducer and the Dashboard is
 * re-rendered with the new state; it mounts on the first event so step() spinners can run before it.
 * close() draws the final state (with the summary) and unmounts, leaving that frame on screen.
 */
export function createInkReporter(stream: TextStream, options: InkReporterOptions): Reporter {
  const env = options.env;
  const color = options.color ?? colorEnabled(env);
  const now = options.now ?? Date.now;
  const frameMs = options.frameMs ?? 100;
  let state = initialDashboardState();
  const ink = createInkMount(stream);
  let timer: NodeJS.Timeout | null = null;

  const draw = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    ink.show(<Dashboard state={state} color={color} />);
  };

  return {
    emit(event: JobEvent) {
      if (isLineEvent(event)) {
        // Like a note: a plain line before the dashboard is up; once it is, the line would break its frame.
        if (!ink.mounted) stream.write(`${lineOf(event)}\n`);
        return;
      }
      state = reduceDashboard(state, event);
      if (frameMs <= 0 || URGENT.has(event.type) || !ink.mounted) draw();
      else if (timer === null) {
        timer = setTimeout(draw, frameMs);
        // A pending frame must not hold the process open after the job is over.
        timer.unref();
      }
    },
    note(text) {
      // Before the dashboard mounts a note is a plain line; once it is up, the engine panel says it.
      if (!ink.mounted) stream.write(`${text}\n`);
    },
    step(label, work) {
      // While the dashboard is up it is the progress display; a spinner would fight it for the cursor.
      if (ink.mounted) return work();
      return runStep(stream, label, work, { interactive: isInteractive(stream.isTTY, env), color, now });
    },
    async close() {
      if (!ink.mounted) return;
      draw();
      await ink.unmount();
    },
  };
}
