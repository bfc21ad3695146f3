import { PassThrough } from "node:stream";
import type { Command } from "commander";
import type { CliIo } from "../../src/wiring/io.js";
import { buildProgram, type ProgramOptions } from "../../commands/program.js";
import { runCli } from "../../src/run-cli.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Start from this process's environment (PATH for the docker CLI, say); off for hermetic tests. */
  inheritEnv?: boolean;
  signal?: AbortSignal;
  /** Sees stdout so far after every write (to act on a printed URL while the command runs). */
  onStdout?: (stdout: string) => void;
  /** Sees stderr so far after every write (to act on a log line, e.g. serve's "ready"). */
  onStderr?: (stderr: string) => void;
  /** Builds the program (default: the real one); tests swap in adapters here. */
  build?: (io: CliIo, options?: ProgramOptions) => Command;
}

/** Runs the CLI in this process, through its real error boundary, with captured stdout/stderr (non-TTY). */
export async function runCliInProcess(argv: string[], options: InProcessOptions): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => {
    out += c.toString();
    options.onStdout?.(out);
  });
  stderr.on("data", (c: Buffer) => {
    err += c.toString();
    options.onStderr?.(err);
  });
  const code = await runCli(
    argv,
    {
      stdout,
      stderr,
      cwd: options.cwd,
      env: { ...(options.inheritEnv ? process.env : {}), NO_COLOR: "1", ...options.env },
      signal: options.signal ?? new AbortController().signal,
    },
    options.build ?? buildProgram,
  );
  return { code, stdout: out, stderr: err };
}
