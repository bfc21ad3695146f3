import { PassThrough } from "node:stream";
import { Command, CommanderError } from "commander";
import { type AksAdapters, aksCommand } from "../../commands/deploy-aks.js";
import { indexMergeCommand } from "../../commands/index-merge.js";
import { MosaicError } from "../../src/errors.js";
import type { CliIo } from "../../src/io.js";
import { buildProgram } from "../../src/run-cli.js";
import type { CliRun } from "../helpers/run-cli-in-process.js";

/** Finds `name` under `parent`, or adds an empty group (until run-cli.ts registers it). */
function group(parent: Command, name: string): Command {
  const found = parent.commands.find((c) => c.name() === name);
  if (found) return found;
  const added = new Command(name).copyInheritedSettings(parent);
  parent.addCommand(added);
  return added;
}

/**
 * Runs the CLI in process like runCliInProcess, with `deploy aks` (given adapters) and `index merge`
 * attached the way run-cli.ts will attach them, and the same exit-code mapping as runCli.
 */
export async function runWithAks(
  argv: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; adapters?: AksAdapters },
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const io: CliIo = {
    stdout,
    stderr,
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    signal: new AbortController().signal,
  };
  const program = buildProgram(io);
  const deploy = group(program, "deploy");
  // Swap the registered `deploy aks` for one on the test's adapters.
  (deploy.commands as Command[]).splice(
    0,
    deploy.commands.length,
    ...deploy.commands.filter((c) => c.name() !== "aks"),
  );
  deploy.addCommand(aksCommand(io, options.adapters).copyInheritedSettings(deploy));
  const index = group(program, "index");
  if (!index.commands.some((c) => c.name() === "merge")) {
    index.addCommand(indexMergeCommand(io).copyInheritedSettings(index));
  }
  let code = 0;
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else if (error instanceof MosaicError) {
      err += `\nError: ${error.message}\n${error.hint ? `Hint: ${error.hint}\n` : ""}`;
      code = error.exitCode;
    } else throw error;
  }
  return { code, stdout: out, stderr: err };
}
