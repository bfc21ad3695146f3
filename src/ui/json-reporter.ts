import type { FeaturizeEvent, Reporter } from "../featurize/events.js";
import type { TextStream } from "./text-stream.js";

/**
 * NDJSON: one event per line, exactly the FeaturizeEvent shape. Absent optional fields (an item
 * without id) are written as null and unknown numbers (NaN) as null, so every line has the same keys.
 */
export function createJsonReporter(stream: TextStream): Reporter {
  return {
    emit(event: FeaturizeEvent) {
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
