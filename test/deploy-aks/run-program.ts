import type { Command } from "commander";
import { type AksAdapters, aksCommand } from "../../commands/deploy-aks.js";
import { buildProgram } from "../../src/run-cli.js";
import { type CliRun, runCliInProcess } from "../helpers/run-cli-in-process.js";

/** Runs the real CLI in process with `deploy aks` on the test's Azure/Kubernetes adapters. */
export function runWithAks(
  argv: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; adapters?: AksAdapters },
): Promise<CliRun> {
  return runCliInProcess(argv, {
    cwd: options.cwd,
    env: options.env,
    build: (io) => {
      const program = buildProgram(io);
      const deploy = program.commands.find((c) => c.name() === "deploy") as Command;
      (deploy.commands as Command[]).splice(
        0,
        deploy.commands.length,
        ...deploy.commands.filter((c) => c.name() !== "aks"),
      );
      deploy.addCommand(aksCommand(io, options.adapters).copyInheritedSettings(deploy));
      return program;
    },
  });
}
