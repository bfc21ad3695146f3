import ora from "ora";
import { formatDuration } from "./format.js";
import type { TextStream } from "./text-stream.js";

export interface RunStepOptions {
  /** Animate a spinner (a person at a TTY, not CI); otherwise write one plain line. */
  interactive: boolean;
  color: boolean;
  /** Milliseconds clock for the duration shown; injected so tests need no real time. */
  now: () => number;
}

/**
 * Runs one short wait (model conversion, index load) with feedback on `stream`: an ora spinner when
 * interactive, else "label… done (1.2s)". The work's error is rethrown untouched after "failed".
 */
export async function runStep<T>(
  stream: TextStream,
  label: string,
  work: () => Promise<T>,
  options: RunStepOptions,
): Promise<T> {
  const started = options.now();
  const took = () => formatDuration((options.now() - started) / 1000);
  // ora divides by the terminal width; a TTY that reports 0 columns (some ptys) would make it loop forever.
  if (!options.interactive || !stream.columns) {
    stream.write(`${label}… `);
    try {
      const result = await work();
      stream.write(`done (${took()})\n`);
      return result;
    } catch (error) {
      stream.write(`failed (${took()})\n`);
      throw error;
    }
  }
  const spinner = ora({
    text: label,
    stream: stream as NodeJS.WritableStream,
    isEnabled: true,
    discardStdin: false,
    color: options.color ? "cyan" : false,
  }).start();
  try {
    const result = await work();
    const text = `${label} (${took()})`;
    // log-symbols colours its marks; with colour off we persist a bare symbol instead.
    if (options.color) spinner.succeed(text);
    else spinner.stopAndPersist({ symbol: "✔", text });
    return result;
  } catch (error) {
    const text = `${label} failed (${took()})`;
    if (options.color) spinner.fail(text);
    else spinner.stopAndPersist({ symbol: "✖", text });
    throw error;
  }
}
