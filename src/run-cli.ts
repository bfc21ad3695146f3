import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { deployCommand } from "../commands/deploy.js";
import { dockerCommand } from "../commands/docker.js";
import { evalCommand } from "../commands/eval.js";
import { featurizeCommand } from "../commands/featurize.js";
import { indexCommand } from "../commands/index-cmd.js";
import { queryCommand } from "../commands/query.js";
import { serveCommand } from "../commands/serve.js";
import { redact } from "./redact.js";
import { MosaicError } from "./errors.js";
import type { CliIo } from "./io.js";

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

export function buildProgram(io: CliIo): Command {
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
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
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
  ]) {
    // addCommand does not inherit output routing or exitOverride; copy them so subcommand errors reach io.
    program.addCommand(make(io).copyInheritedSettings(program));
  }
  return program;
}

/**
 * THE error boundary: runs the CLI and turns every outcome into an exit code.
 * 0 ok · 1 failure · 2 usage or config error · 130 interrupted.
 */
export async function runCli(argv: string[], io: CliIo, build = buildProgram): Promise<number> {
  const program = build(io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, argv.includes("--verbose"));
  }
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
