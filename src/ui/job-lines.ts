import type { FeaturizeEvent, JobEvent } from "../contracts/events.js";
import { formatAksEvent } from "./format-aks-event.js";

/** Job events outside the featurize dashboard: each one is a line for people. */
export type LineEvent = Exclude<JobEvent, FeaturizeEvent>;

export function isLineEvent(event: JobEvent): event is LineEvent {
  return event.type === "log" || event.type === "aks";
}

/** The line a person reads for it: the tool's line as it came, or the AKS event in one line. */
export function lineOf(event: LineEvent): string {
  return event.type === "log" ? event.line : formatAksEvent(event.event);
}
