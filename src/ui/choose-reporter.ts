import { type Env, isInteractive } from "./terminal-env.js";

export type ReporterKind = "ink" | "plain" | "json";

export interface ChooseReporterOptions {
  /** --json: machine-readable events only. */
  json?: boolean;
  /** --no-tui sets false; undefined means "if possible". */
  tui?: boolean;
  /** Whether the stream people read (stderr) is a terminal. */
  isTTY: boolean | undefined;
  env: Env;
}

/**
 * Picks the reporter once per run: JSON when asked, the Ink dashboard only for a person at a terminal
 * (TTY, not CI, not TERM=dumb, TUI not disabled), plain lines everywhere else.
 */
export function chooseReporter(options: ChooseReporterOptions): ReporterKind {
  if (options.json === true) return "json";
  if (options.tui !== false && isInteractive(options.isTTY, options.env)) return "ink";
  return "plain";
}
