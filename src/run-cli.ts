import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { configCommand } from "../commands/config.js";
import { deployCommand } from "../commands/deploy.js";
import { dockerCommand } from "../commands/docker.js";
import { evalCommand } from "../commands/eval.js";
import { featurizeCommand } from "../commands/featurize.js";
import { indexCommand } from "../commands/index-cmd.js";
import { queryCommand } from "../commands/query.js";
import { completionCommand } from "../commands/completion.js";
import { addHelpExtras } from "../commands/help-extras.js";
import { serveCommand } from "../commands/serve.js";
import { redact } from "./redact.js";
import { AbortedError, ExternalError, MosaicError } from "./errors.js";
import type { CliIo } from "./wiring/io.js";
import { explainFailure } from "./wiring/explain-failure.js";

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** mosaic's own package.json, found from this file whether it runs from src/ (tests) or dist/src/. */
function readOwnPackage(): { version: string } {
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as {
        name?: string;
        version: string;
      };
      if (pkg.name === "mosaic") return pkg;
    } catch {
      // try the next candidate
    }
  }
  return { version: "0.0.0" };
}
const pkg = readOwnPackage();

export interface ProgramOptions {
  /** `--json` is on: errors are reported as JSON by runCli, so commander prints none of its own text. */
  jsonErrors?: boolean;
}

export function buildProgram(io: CliIo, options: ProgramOptions = {}): Command {
  const program = new Command("mosaic")
    .description("Find visually similar artworks: featurize a catalog, then search it filtered by facet.")
    .version(pkg.version, "-V, --version")
    .option(
      "-c, --config <file>",
      "config file (default: mosaic.config.{ts,js,json} or package.json#mosaic in cwd)",
    )
    .option("--json", "print machine-readable JSON on stdout (and NDJSON events on stderr)")
    .option("--no-tui", "plain progress lines instead of the live dashboard")
    .option("--verbose", "more detail, including stack traces of unexpected errors")
    .addOption(new Option("--no-color", "disable colours (also honours NO_COLOR)"))
    .showHelpAfterError(options.jsonErrors ? false : "(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      ...(options.jsonErrors ? { outputError: () => undefined } : {}),
    })
    .exitOverride();
  for (const make of [
    featurizeCommand,
    queryCommand,
    evalCommand,
    serveCommand,
    indexCommand,
    dockerCommand,
    deployCommand,
    configCommand,
    completionCommand,
  ]) {
    // addCommand does not inherit output routing or exitOverride; copy them so subcommand errors reach io.
    program.addCommand(make(io).copyInheritedSettings(program));
  }
  addHelpExtras(program);
  return program;
}

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
