import { PassThrough } from "node:stream";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../commands/program.js";

/** Parses argv with the real program, every action replaced by one that records the parsed options. */
async function optionsOf(
  argv: string[],
): Promise<{ path: string; opts: Record<string, unknown>; args: unknown[] }> {
  const io = {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    cwd: "/tmp",
    env: {},
    signal: new AbortController().signal,
  };
  const program = buildProgram(io as never);
  let seen: { path: string; opts: Record<string, unknown>; args: unknown[] } | undefined;
  const stub = (command: Command, prefix: string) => {
    for (const sub of command.commands) {
      const path = `${prefix}${sub.name()}`;
      sub.action((...args: unknown[]) => {
        seen = { path, opts: sub.optsWithGlobals(), args: args.slice(0, -2) };
      });
      stub(sub, `${path} `);
    }
  };
  stub(program, "");
  await program.parseAsync(argv, { from: "user" });
  if (!seen) throw new Error(`no action ran for ${argv.join(" ")}`);
  return seen;
}

describe("argv → options", () => {
  it.each<[string[], string, Record<string, unknown>]>([
    [["featurize", "--catalog", "c.tsv", "-o", "out"], "featurize", { catalog: "c.tsv", out: "out" }],
    [["featurize", "--batch-size", "8", "--limit", "5"], "featurize", { batchSize: 8, limit: 5 }],
    [["--json", "featurize", "--shard", "1/4"], "featurize", { json: true, shard: { index: 1, count: 4 } }],
    [["query", "x.jpg"], "query", { results: 10 }],
    [
      ["query", "--id", "42", "-n", "3", "--engine", "hnsw"],
      "query",
      { id: "42", results: 3, engine: "hnsw" },
    ],
    [
      ["query", "x.jpg", "--culture", "A,B", "--culture", "C", "--filter", "kind=print"],
      "query",
      { culture: ["A,B", "C"], filter: ["kind=print"] },
    ],
    [["serve"], "serve", { port: 8890, host: "127.0.0.1" }],
    [["serve", "-p", "0", "--max-results", "50"], "serve", { port: 0, maxResults: 50 }],
    [
      ["serve", "--max-pending", "8", "--max-connections", "100", "--headers-timeout", "5000"],
      "serve",
      { maxPending: 8, maxConnections: 100, headersTimeout: 5000 },
    ],
    [
      ["--no-tui", "--no-color", "eval", "-l", "culture"],
      "eval",
      { tui: false, color: false, label: "culture" },
    ],
    [["index", "merge", "m", "a", "b", "--cache-dir", "c"], "index merge", { cacheDir: "c" }],
    [["index", "push", "dir", "az://c/p"], "index push", {}],
    [["docker", "build", "--gpu"], "docker build", { gpu: true }],
    [
      ["deploy", "aks", "--dry-run", "--shards", "4", "--job", "featurize"],
      "deploy aks",
      { dryRun: true, shards: 4 },
    ],
  ])("%j → %s %j", async (argv, path, expected) => {
    const seen = await optionsOf(argv);
    expect(seen.path).toBe(path);
    expect(seen.opts).toMatchObject(expected);
  });

  it.each([
    [["query", "-n", "0"]],
    [["featurize", "--shard", "4/4"]],
    [["serve", "--port", "70000"]],
    [["query", "--engine", "faiss"]],
  ])("%j is a usage error", async (argv) => {
    await expect(optionsOf(argv)).rejects.toMatchObject({ exitCode: 1 });
  });
});
