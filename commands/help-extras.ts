import type { Command } from "commander";
import { examplesHelp } from "./help-examples.js";

/** Every command below `program`, with its path ("docker run"). */
export function commandPaths(program: Command): { path: string; command: Command }[] {
  const out: { path: string; command: Command }[] = [];
  const walk = (command: Command, prefix: string[]) => {
    for (const sub of command.commands) {
      const path = [...prefix, sub.name()];
      out.push({ path: path.join(" "), command: sub });
      walk(sub, path);
    }
  };
  walk(program, []);
  return out;
}

/**
 * Each subcommand's --help lists the global flags (--config, --json, --no-tui, --verbose, --no-color) and
 * ends with its two examples.
 */
export function addHelpExtras(program: Command): void {
  for (const { path, command } of commandPaths(program)) {
    command.configureHelp({ ...command.configureHelp(), showGlobalOptions: true });
    const examples = examplesHelp(path);
    if (examples) command.addHelpText("after", examples);
  }
}
