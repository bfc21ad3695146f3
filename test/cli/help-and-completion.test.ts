import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { HELP_EXAMPLES } from "../../commands/help-examples.js";
import { commandPaths } from "../../commands/help-extras.js";
import { buildProgram } from "../../commands/program.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";

const exec = promisify(execFile);
const tempDir = () => mkdtemp(path.join(tmpdir(), "mosaic-help-"));
const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: {},
  cwd: tmpdir(),
  signal: new AbortController().signal,
};
const paths = commandPaths(buildProgram(io)).map((p) => p.path);

describe("every subcommand's --help", () => {
  it("has a pair of examples for every command, and none for a command that does not exist", () => {
    expect(Object.keys(HELP_EXAMPLES).sort()).toEqual([...paths].sort());
    for (const [p, examples] of Object.entries(HELP_EXAMPLES)) {
      for (const example of examples)
        expect(example.replace(/^([A-Z_]+=\S+ )+/, "")).toMatch(new RegExp(`^mosaic ${p}\\b`));
    }
  });

  it.each(paths)("mosaic %s --help shows the global flags and two examples", async (p) => {
    const run = await runCliInProcess([...p.split(" "), "--help"], { cwd: await tempDir() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Global Options:");
    for (const flag of ["--config", "--json", "--no-tui", "--verbose", "--no-color"])
      expect(run.stdout).toContain(flag);
    const examples = run.stdout.split("Examples:\n")[1] ?? "";
    expect(examples.trim().split("\n")).toHaveLength(2);
  });

  // Registered with .command(), every subcommand (nested ones too) inherits the root's output routing
  // and exitOverride: a usage error reaches the captured stderr and exits 2, never process.exit.
  it.each(paths)("mosaic %s --no-such-flag is a usage error on the run's own stderr", async (p) => {
    const run = await runCliInProcess([...p.split(" "), "--no-such-flag"], { cwd: await tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: (unknown option '--no-such-flag'|required option)/m);
  });
});

describe("mosaic completion bash|zsh|fish", () => {
  const script = async (shell: string) => {
    const run = await runCliInProcess(["completion", shell], { cwd: await tempDir() });
    expect(run.code).toBe(0);
    return run.stdout;
  };

  it("bash completes subcommands and flags at each level", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "mosaic.bash");
    await writeFile(file, await script("bash"));
    const complete = async (...words: string[]) => {
      const array = words.map((w) => `"${w}"`).join(" ");
      const { stdout } = await exec("bash", [
        "-c",
        `source ${file}; COMP_WORDS=(mosaic ${array}); COMP_CWORD=${words.length}; _mosaic; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ]);
      return stdout.trim().split("\n");
    };
    expect(await complete("")).toEqual(expect.arrayContaining(["featurize", "query", "index", "completion"]));
    expect(await complete("ind")).toEqual(["index"]);
    expect(await complete("index", "")).toEqual(expect.arrayContaining(["info", "merge", "push", "pull"]));
    expect(await complete("docker", "run", "--allow-")).toEqual(["--allow-host", "--allow-cidr"]);
    expect(await complete("--json", "query", "--cul")).toEqual(["--culture"]);
  });

  it("zsh uses the same function through bashcompinit; fish gets complete lines per command", async () => {
    const zsh = await script("zsh");
    expect(zsh).toMatch(/^#compdef mosaic/);
    expect(zsh).toContain("bashcompinit");
    expect(zsh).toContain("complete -o default -F _mosaic mosaic");
    const fish = await script("fish");
    expect(fish).toContain("complete -c mosaic -f -n '__fish_use_subcommand' -a featurize");
    expect(fish).toContain(
      "complete -c mosaic -f -n '__fish_seen_subcommand_from docker; and not __fish_seen_subcommand_from build run push exec' -a push",
    );
    expect(fish).toContain(
      "complete -c mosaic -n '__fish_seen_subcommand_from docker; and __fish_seen_subcommand_from run' -l allow-host",
    );
  });

  it("an unknown shell is a usage error", async () => {
    const run = await runCliInProcess(["completion", "tcsh"], { cwd: await tempDir() });
    expect(run.code).toBe(2);
  });
});
