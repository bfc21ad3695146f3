import type { JobEvent, Reporter, Stage } from "../contracts/events.js";
import type { TextStream } from "./text-stream.js";

/** Least time between two progress events of one stage: a few per second is all a consumer needs. */
export const JSON_PROGRESS_INTERVAL_MS = 250;

/**
 * NDJSON: one event per line, exactly the JobEvent shape (AKS events: see JobEvent). Absent optional fields (an item
 * without id) are written as null and unknown numbers (NaN) as null, so every line has the same keys.
 * Progress events are thinned to one per stage every `intervalMs` (by the events' own clock); a stage's
 * last count always arrives, in the progress event that completes it or in its stage-done event.
 */
export function createJsonReporter(stream: TextStream, intervalMs = JSON_PROGRESS_INTERVAL_MS): Reporter {
  const lastAt = new Map<Stage, number>();
  return {
    emit(event: JobEvent) {
      if (event.type === "aks") {
        // As deploy aks always wrote it: the AKS event's own keys (absent ones left out), type prefixed.
        stream.write(`${JSON.stringify({ ...event.event, type: `aks-${event.event.type}` })}\n`);
        return;
      }
      if (event.type === "progress") {
        const complete = event.total !== null && event.done + event.failed >= event.total;
        const last = lastAt.get(event.stage);
        if (!complete && last !== undefined && event.at - last < intervalMs) return;
        lastAt.set(event.stage, event.at);
      }
      stream.write(
        `${JSON.stringify(event, (_key, value: unknown) => (value === undefined ? null : value))}\n`,
      );
    },
    // A remark that must not be lost under --json (a damaged cache being rebuilt): one parseable line.
    note(text) {
      stream.write(`${JSON.stringify({ type: "note", text })}\n`);
    },
    // Steps are people-facing progress; the JSON stream carries only events.
    step(_label, work) {
      return work();
    },
    close() {},
  };
}
