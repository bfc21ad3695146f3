import { PassThrough } from "node:stream";
import { CommanderError } from "commander";
import { deployCommand } from "../../commands/deploy.js";
import { dockerCommand } from "../../commands/docker.js";
import { MosaicError } from "../../src/errors.js";
import { buildProgram } from "../../src/run-cli.js";

export interface MosaicRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the mosaic CLI in this process with `docker` and `deploy` registered (added here when run-cli
 * does not register them yet), capturing stdout/stderr; exit codes follow src/run-cli.ts's boundary.
 */
export async function runMosaic(
  argv: string[],
  options: {
    cwd: string;
    env?: Record<string, string | undefined>;
    signal?: AbortSignal;
    /** Sees stdout so far after every write (to act on a printed URL while the command runs). */
    onStdout?: (stdout: string) => void;
  },
): Promise<MosaicRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => {
    out += c.toString();
    options.onStdout?.(out);
  });
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const io = {
    stdout,
    stderr,
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    signal: options.signal ?? new AbortController().signal,
  };
  const program = buildProgram(io);
  for (const make of [dockerCommand, deployCommand]) {
    const command = make(io);
    if (!program.commands.some((c) => c.name() === command.name())) {
      program.addCommand(command.copyInheritedSettings(program));
    }
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
