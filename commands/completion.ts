import { Argument, type Command } from "commander";
import type { CliIo } from "../src/wiring/io.js";
import { completionScript, type Shell } from "./completion-script.js";

/** `mosaic completion bash|zsh|fish`: prints the shell's completion script on stdout. */
export function completionCommand(parent: Command, io: CliIo): Command {
  return parent
    .command("completion")
    .description("Print a shell completion script (bash, zsh or fish) for mosaic's commands and flags")
    .addArgument(new Argument("<shell>", "the shell").choices(["bash", "zsh", "fish"]))
    .addHelpText(
      "after",
      '\nInstall: eval "$(mosaic completion bash)" in ~/.bashrc (zsh: ~/.zshrc), or for fish\nmosaic completion fish > ~/.config/fish/completions/mosaic.fish',
    )
    .action((shell: Shell, _flags: unknown, command: Command) => {
      let root = command;
      while (root.parent) root = root.parent;
      io.stdout.write(completionScript(root, shell));
    });
}
