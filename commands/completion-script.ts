import type { Command } from "commander";
import { commandPaths } from "./help-extras.js";

export type Shell = "bash" | "zsh" | "fish";

interface Node {
  path: string;
  subcommands: { name: string; description: string }[];
  flags: string[];
}

/** Each command path ("" = the root) with its subcommands and its flags (global ones included). */
function nodes(program: Command): Node[] {
  const globals = flagsOf(program);
  const all = [{ path: "", command: program }, ...commandPaths(program)];
  return all.map(({ path, command }) => ({
    path,
    subcommands: command.commands.map((c) => ({ name: c.name(), description: c.description() })),
    flags: [...new Set([...flagsOf(command), ...globals, "--help"])],
  }));
}

function flagsOf(command: Command): string[] {
  return command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined));
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A completion script for `shell`, generated from the program's own commands and flags. */
export function completionScript(program: Command, shell: Shell): string {
  const tree = nodes(program);
  if (shell === "fish") return fishScript(tree);
  const bash = bashScript(tree);
  // zsh runs the bash function through its bash-completion compatibility layer.
  return shell === "zsh"
    ? `#compdef mosaic\n# mosaic completion for zsh: eval "$(mosaic completion zsh)" in ~/.zshrc\nautoload -U +X bashcompinit && bashcompinit\n${bash}`
    : `# mosaic completion for bash: eval "$(mosaic completion bash)" in ~/.bashrc\n${bash}`;
}

function bashScript(tree: Node[]): string {
  const cases = (pick: (n: Node) => string[]) =>
    tree.map((n) => `    ${quote(n.path)}) echo ${quote(pick(n).join(" "))} ;;`).join("\n");
  return `_mosaic_subcommands() {
  case "$1" in
${cases((n) => n.subcommands.map((s) => s.name))}
  esac
}
_mosaic_words() {
  case "$1" in
${cases((n) => [...n.subcommands.map((s) => s.name), ...n.flags])}
  esac
}
_mosaic() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case " $(_mosaic_subcommands "$path") " in
      *" $word "*) path="\${path:+$path }$word" ;;
    esac
  done
  COMPREPLY=($(compgen -W "$(_mosaic_words "$path")" -- "$cur"))
}
complete -o default -F _mosaic mosaic
`;
}

function fishScript(tree: Node[]): string {
  const lines = [
    "# mosaic completion for fish: mosaic completion fish > ~/.config/fish/completions/mosaic.fish",
  ];
  for (const node of tree) {
    const words = node.path === "" ? [] : node.path.split(" ");
    const subs = node.subcommands.map((s) => s.name).join(" ");
    // At this node: every word of its path seen, none of its subcommands yet.
    const seen = words.map((w) => `__fish_seen_subcommand_from ${w}`);
    const here = [
      ...(words.length === 0 ? ["__fish_use_subcommand"] : seen),
      ...(subs && words.length > 0 ? [`not __fish_seen_subcommand_from ${subs}`] : []),
    ].join("; and ");
    for (const sub of node.subcommands) {
      lines.push(
        `complete -c mosaic -f -n ${quote(here)} -a ${sub.name} -d ${quote(sub.description.slice(0, 80))}`,
      );
    }
    const flagCondition = words.length === 0 ? "__fish_use_subcommand" : seen.join("; and ");
    for (const flag of node.flags) {
      const spec = flag.startsWith("--") ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`;
      lines.push(`complete -c mosaic -n ${quote(flagCondition)} ${spec}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
