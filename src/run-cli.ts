import { type Command, CommanderError } from "commander";
import { buildProgram, type ProgramOptions } from "../commands/program.js";
import { redact } from "./redact.js";
import { AbortedError, ExternalError, MosaicError } from "./errors.js";
import type { CliIo } from "./wiring/io.js";
import { explainFailure } from "./wiring/explain-failure.js";

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/**
 * THE error boundary: runs the CLI and turns every outcome into an exit code.
 * 0 ok · 1 failure · 2 usage or config error · 130 interrupted.
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  build: (io: CliIo, options?: ProgramOptions) => Command = buildProgram,
): Promise<number> {
  // Known before parsing, so that a usage error of the parse itself is JSON too.
  const json = argv.includes("--json");
  const program = build(io, { jsonErrors: json });
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (thrown) {
    // Ordinary failures (a missing image, a full disk, a port in use) get a message and a hint, not "a bug".
    const error = (!io.signal.aborted && explainFailure(thrown)) || thrown;
    if (json) return reportJsonError(error, io);
    return reportError(error, io, argv.includes("--verbose"));
  }
}

/** What `--json` prints for an error: on stdout as the command's one document, on stderr as an NDJSON event. */
export interface JsonError {
  /** usage (exit 2), failure (1), interrupted (130), external (a process or service; its code), bug (1). */
  kind: "usage" | "failure" | "external" | "interrupted" | "bug";
  message: string;
  hint?: string;
  exitCode: number;
}

function reportJsonError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError && error.exitCode === 0) return EXIT.ok;
  const described = describeError(error, io);
  if (described.exitCode === EXIT.ok) return EXIT.ok;
  io.stdout.write(`${JSON.stringify({ error: described })}\n`);
  io.stderr.write(`${JSON.stringify({ type: "error", ...described })}\n`);
  return described.exitCode;
}

function describeError(error: unknown, io: CliIo): JsonError {
  if (error instanceof CommanderError) {
    return {
      kind: "usage",
      message: error.message.replace(/^error: /, ""),
      hint: "run with --help for usage",
      exitCode: EXIT.usage,
    };
  }
  if (error instanceof MosaicError) {
    const kind =
      error.exitCode === EXIT.usage
        ? "usage"
        : error instanceof AbortedError
          ? "interrupted"
          : error instanceof ExternalError
            ? "external"
            : "failure";
    return {
      kind,
      message: redact(error.message),
      ...(error.hint ? { hint: redact(error.hint) } : {}),
      exitCode: error.exitCode,
    };
  }
  if (io.signal.aborted) return { kind: "interrupted", message: "Interrupted", exitCode: EXIT.interrupted };
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    kind: "bug",
    message: redact(err.message),
    hint: "This is a bug in mosaic; please report it with the output of --verbose.",
    exitCode: EXIT.failure,
  };
}

function reportError(error: unknown, io: CliIo, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // Help and --version arrive as "errors" with exit code 0; commander already printed them.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof MosaicError) {
    // Messages may quote a location; SAS signatures and account keys never reach the terminal.
    io.stderr.write(`\nError: ${redact(error.message)}\n`);
    if (error.hint) io.stderr.write(`Hint: ${redact(error.hint)}\n`);
    if (verbose && error.cause)
      io.stderr.write(`Cause: ${String((error.cause as Error)?.stack ?? error.cause)}\n`);
    return error.exitCode;
  }
  if (io.signal.aborted) {
    io.stderr.write("\nInterrupted.\n");
    return EXIT.interrupted;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  io.stderr.write(
    `\nUnexpected error: ${redact(err.message)}\nThis is a bug in mosaic; please report it with the output of --verbose.\n`,
  );
  if (verbose) io.stderr.write(`${err.stack ?? ""}\n`);
  return EXIT.failure;
}
