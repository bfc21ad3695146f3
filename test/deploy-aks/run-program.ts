import type { AksAdapters } from "../../commands/deploy-aks.js";
import { buildProgram } from "../../commands/program.js";
import { type CliRun, runCliInProcess } from "../helpers/run-cli-in-process.js";

/** Runs the real CLI in process with `deploy aks` on the test's Azure/Kubernetes adapters. */
export function runWithAks(
  argv: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; adapters?: AksAdapters },
): Promise<CliRun> {
  return runCliInProcess(argv, {
    cwd: options.cwd,
    env: options.env,
    build: (io, programOptions) => buildProgram(io, { ...programOptions, aksAdapters: options.adapters }),
  });
}
