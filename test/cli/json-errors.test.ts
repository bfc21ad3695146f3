import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";

const tempDir = () => mkdtemp(path.join(tmpdir(), "mosaic-json-errors-"));

/** Every stderr line is NDJSON, and stdout is one JSON document: `{"error": {...}}`. */
function parsed(run: { stdout: string; stderr: string }) {
  const lines = run.stderr.trim().split("\n").filter(Boolean);
  const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { out: JSON.parse(run.stdout) as { error: Record<string, unknown> }, events };
}

describe("--json errors are JSON (stdout: the document; stderr: an NDJSON event)", () => {
  it.each([
    [["--json", "frobnicate"], "usage", 2, /unknown command 'frobnicate'/],
    [["featurize", "--json", "--batch-size", "zero"], "usage", 2, /positive integer/],
    [["--json", "query"], "usage", 2, /image|--id/],
    [["--json", "query", "--id", "x", "--index", "nowhere"], "failure", 1, /No index found/],
  ])("%j → %s, exit %i", async (argv, kind, exitCode, message) => {
    const run = await runCliInProcess(argv, { cwd: await tempDir() });
    expect(run.code).toBe(exitCode);
    const { out, events } = parsed(run);
    expect(out.error).toMatchObject({ kind, exitCode });
    expect(out.error.message).toMatch(message);
    expect(events.at(-1)).toMatchObject({ type: "error", kind, exitCode, message: out.error.message });
  });

  it("a config error names file and field, with its hint", async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, "mosaic.config.json"), JSON.stringify({ batchSize: -1 }));
    const run = await runCliInProcess(["--json", "query", "--id", "x"], { cwd });
    expect(run.code).toBe(2);
    const { out } = parsed(run);
    expect(out.error.message).toMatch(/mosaic\.config\.json[\s\S]*batchSize/);
    expect(out.error.hint).toBeTruthy();
  });

  it("help and version are unaffected", async () => {
    const cwd = await tempDir();
    expect((await runCliInProcess(["--json", "--version"], { cwd })).code).toBe(0);
    const help = await runCliInProcess(["--json", "query", "--help"], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage:");
  });
});
