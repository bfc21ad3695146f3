import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import type { CliIo } from "../src/wiring/io.js";
import { completionCommand } from "./completion.js";
import { configCommand } from "./config.js";
import { deployCommand } from "./deploy.js";
import type { AksAdapters } from "./deploy-aks.js";
import { dockerCommand } from "./docker.js";
import { evalCommand } from "./eval.js";
import { featurizeCommand } from "./featurize.js";
import { addHelpExtras } from "./help-extras.js";
import { indexCommand } from "./index-cmd.js";
import { queryCommand } from "./query.js";
import { serveCommand } from "./serve.js";

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
  /** The Azure and Kubernetes clients `deploy aks` uses (tests hand in fakes); default the real SDKs. */
  aksAdapters?: AksAdapters;
}

/**
 * The root program: global flags, output routing and exitOverride first, then every subcommand registered
 * with .command(), so each one (and its own subcommands) inherits those settings as it is created.
 */
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
  featurizeCommand(program, io);
  queryCommand(program, io);
  evalCommand(program, io);
  serveCommand(program, io);
  indexCommand(program, io);
  dockerCommand(program, io);
  deployCommand(program, io, options.aksAdapters);
  configCommand(program, io);
  completionCommand(program, io);
  addHelpExtras(program);
  return program;
}
