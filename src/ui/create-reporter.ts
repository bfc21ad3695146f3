import type { Reporter } from "../contracts/events.js";
import { chooseReporter, type ReporterKind } from "./choose-reporter.js";
import { createInkReporter } from "./ink-reporter.js";
import { createJsonReporter } from "./json-reporter.js";
import { createPlainReporter } from "./plain-reporter.js";
import { colorEnabled, type Env } from "./terminal-env.js";
import type { TextStream } from "./text-stream.js";

export interface CreateReporterOptions {
  json?: boolean;
  tui?: boolean;
  /** false forces colour off (--no-color); otherwise NO_COLOR / TERM decide. */
  color?: boolean;
  /** Where people-facing output goes: stderr. */
  stream: TextStream;
  env: Env;
  now?: () => number;
  /** Plain reporter: least time between progress lines. */
  intervalMs?: number;
}

/** Chooses (see chooseReporter) and builds the run's one reporter. */
export function createReporter(options: CreateReporterOptions): Reporter & { kind: ReporterKind } {
  const kind = chooseReporter({
    json: options.json,
    tui: options.tui,
    // A terminal that reports no width (some ptys) would make Ink wrap every character: plain lines instead.
    isTTY: options.stream.isTTY === true && (options.stream.columns ?? 0) > 0,
    env: options.env,
  });
  const color = options.color !== false && colorEnabled(options.env);
  // Colour off also means plain text from spinners: NO_COLOR is how run-step learns it.
  const env = color ? options.env : { ...options.env, NO_COLOR: "1" };
  const reporter =
    kind === "json"
      ? createJsonReporter(options.stream)
      : kind === "ink"
        ? createInkReporter(options.stream, { env, color, now: options.now })
        : createPlainReporter(options.stream, { env, now: options.now, intervalMs: options.intervalMs });
  return Object.assign(reporter, { kind });
}
