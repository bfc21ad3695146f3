import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { model, randomData } from "../vector-index/helpers.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";

// Defect J2: a damaged hnsw.usearch crashed query and serve (truncated: glibc heap corruption, exit 134;
// empty or random bytes: "Unexpected error", unusable until deleted). Every sidecar is now checked
// (size, then sha256) before its bytes reach usearch or the tree reader; a bad one is rebuilt with a
// one-line notice and the answer is the same as before the damage.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tsx = path.join(root, "node_modules/tsx/dist/esm/index.mjs");
const cli = path.join(root, "src/cli.ts");
// Above GRAPH_MIN_COUNT, so query and serve open the graph up front.
const COUNT = 6000;

let dir: string;
let indexDir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir("mosaic-sidecars-"));
  indexDir = path.join(dir, "index");
  await writeIndex(indexDir, { model: model(16), facets: ["culture", "kind"], ...randomData(COUNT, 16, 3) });
});
afterAll(() => cleanup());

const query = (engine: string) =>
  runCliInProcess(["query", "--id", "r0042", "-n", "8", "--engine", engine, "--index", indexDir, "--json"], {
    cwd: dir,
  });
const ids = (stdout: string): string[] =>
  (JSON.parse(stdout) as { results: { id: string }[] }).results.map((r) => r.id);

type Damage = "half" | "empty" | "random";
function damage(file: string, how: Damage): void {
  const size = statSync(file).size;
  if (how === "half") truncateSync(file, Math.floor(size / 2));
  else if (how === "empty") truncateSync(file, 0);
  // Same length, so only the checksum can tell.
  else writeFileSync(file, randomBytes(size));
}

/** The built binary would do too; tsx runs the source so the test needs no build. */
function runChild(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", tsx, cli, ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1", CI: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe("damaged search sidecars", () => {
  let exact: string[];
  let before: string[];

  beforeAll(async () => {
    exact = ids((await query("exact")).stdout);
    const first = await query("hnsw");
    expect(first.code).toBe(0);
    before = ids(first.stdout);
    // The graph finds the true neighbours here, so "same ids" below is a real comparison.
    expect(before).toEqual(exact);
  });

  it.each<Damage>(["half", "empty", "random"])(
    "hnsw.usearch %s: query answers the same ids, with a notice, and heals the file",
    async (how) => {
      damage(path.join(indexDir, "hnsw.usearch"), how);
      const run = await query("hnsw");
      expect(run.stderr).not.toMatch(/bug in mosaic|Unexpected error/i);
      expect(run.code).toBe(0);
      expect(ids(run.stdout)).toEqual(before);
      const notes = run.stderr.split("\n").filter((l) => l.includes("discarding it and rebuilding"));
      expect(notes).toHaveLength(1);
      // Rebuilt and saved: the next run trusts it again without a word.
      const again = await query("hnsw");
      expect(again.stderr).not.toContain("rebuilding");
      expect(ids(again.stdout)).toEqual(before);
    },
  );

  it("a damaged hnsw.json is a notice too, not an error", async () => {
    writeFileSync(path.join(indexDir, "hnsw.json"), "{ not json");
    const run = await query("hnsw");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("unreadable hnsw.json");
    expect(ids(run.stdout)).toEqual(before);
  });

  it("a graph sidecar from before checksums (version 1) is rebuilt, not trusted", async () => {
    const metaPath = path.join(indexDir, "hnsw.json");
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as Record<string, unknown>;
    delete meta.sha256;
    meta.version = 1;
    writeFileSync(metaPath, JSON.stringify(meta));
    const run = await query("hnsw");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("has no checksum");
    expect(ids(run.stdout)).toEqual(before);
  });

  it.each<Damage>(["half", "empty", "random"])("ball tree %s: same ids, one notice", async (how) => {
    const first = await query("balltree");
    expect(ids(first.stdout)).toEqual(exact);
    const tree = readdirSync(indexDir).find((n) => n.startsWith("balltree-"));
    expect(tree).toBeDefined();
    damage(path.join(indexDir, tree as string), how);
    const run = await query("balltree");
    expect(run.code).toBe(0);
    expect(ids(run.stdout)).toEqual(exact);
    expect(run.stderr).toMatch(/Ball tree .* discarding it and rebuilding/);
    expect((await query("balltree")).stderr).not.toContain("rebuilding");
  });

  // In a child process: before the fix this one aborted the process (heap corruption), which would
  // take the test runner down with it.
  it("query in its own process survives a half graph (was exit 134)", async () => {
    damage(path.join(indexDir, "hnsw.usearch"), "half");
    const run = await runChild(["query", "--id", "r0042", "--engine", "hnsw", "--index", indexDir]);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("discarding it and rebuilding");
  });

  it("serve survives a half graph: it rebuilds and goes on to load the model", async () => {
    damage(path.join(indexDir, "hnsw.usearch"), "half");
    // The test index's model is not a real one, so serve stops at the model, after the graph.
    const run = await runChild(["serve", "--index", indexDir, "--port", "0", "--engine", "hnsw"]);
    expect(run.signal).toBeNull();
    expect(run.stderr).toContain("discarding it and rebuilding");
    expect(run.stderr).toContain('built with model "test-model"');
    expect(run.code).toBe(1);
  });
});
