import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IndexRecord } from "../../src/vector-index/types.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import type { ResultsJson } from "../../src/query/format-results.js";
import { type PgliteServer, startPgliteServer } from "../helpers/pglite-server.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { clusteredVectors } from "../search/synthetic.js";
import { SPEC } from "../server/fixtures.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DIM = 32;
const COUNT = 1200;
const CULTURES = ["Japanese", "Côte d'Ivoire", "Dutch", "Mexican", "Persian"];
const CLASSES = ["Print", "Mask", "Painting"];

let server: PgliteServer;
let dir: string;
let indexDir: string;
let cleanup: () => Promise<void>;

async function writeSample(out: string, count: number, seed: number): Promise<void> {
  const vectors = clusteredVectors(count, DIM, 10, seed);
  // Exact duplicates: equal scores, so both stores must fall back to ids the same way.
  for (let p = 0; p < 30; p++) vectors.copyWithin((50 + p) * DIM, 7 * DIM, 8 * DIM);
  const records: IndexRecord[] = Array.from({ length: count }, (_, i) => ({
    id: `a${String(i).padStart(5, "0")}`,
    image: `https://img.example.org/${i}.jpg`,
    facets: { culture: CULTURES[i % CULTURES.length]!, classification: CLASSES[(i * 7) % 3]! },
    meta: { Title: `Work ${i}` },
  }));
  await writeIndex(out, {
    model: { id: "fake-model", dim: DIM, preprocess: SPEC },
    facets: ["culture", "classification"],
    records,
    vectors,
  });
}

beforeAll(async () => {
  server = await startPgliteServer();
  ({ dir, cleanup } = await makeTempDir("mosaic-pgcli-"));
  indexDir = path.join(dir, "index");
  await writeSample(indexDir, COUNT, 5);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await cleanup?.();
});

const hitsOf = (stdout: string) => (JSON.parse(stdout) as ResultsJson).results;

describe("mosaic index push / query with a postgres:// index (PGlite + pgvector 0.8.0)", () => {
  it("pushes with progress, never printing the password, and answers queries as the file index does", async () => {
    const url = `${server.url}?table=art&pool=1`;
    const push = await runCliInProcess(["index", "push", indexDir, url, "--json"], { cwd: dir });
    expect(push.stderr).not.toContain(server.password);
    expect(push.stdout).not.toContain(server.password);
    expect(push.code).toBe(0);
    const pushed = JSON.parse(push.stdout) as Record<string, unknown>;
    expect(pushed).toMatchObject({ rows: COUNT, written: COUNT, table: "art", pgvector: "0.8.0" });
    expect(pushed.location).toMatch(/^postgres:\/\/REDACTED@127\.0\.0\.1:\d+\/postgres\?table=art/);
    // People get progress on stderr (plain reporter); the same index again is a no-op that still says so.
    const again = await runCliInProcess(["index", "push", indexDir, url], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`${COUNT} of ${COUNT} rows (100%)`);
    expect(again.stderr + again.stdout).not.toContain(server.password);

    const filters: string[][] = [
      [],
      ["--culture", "cote d'ivoire"],
      ["--filter", "culture=Japanese,Dutch", "--classification", "mask"],
      ["--culture", "Atlantis"],
    ];
    let found = 0;
    let wanted = 0;
    for (const id of ["a00007", "a00051", "a00600", "a01199"]) {
      for (const f of filters) {
        for (const n of ["1", "10", "45"]) {
          const args = ["query", "--id", id, "-n", n, ...f, "--json"];
          const file = await runCliInProcess([...args, "--index", indexDir, "--engine", "exact"], {
            cwd: dir,
          });
          expect(file.code).toBe(0);
          const exact = await runCliInProcess([...args, "--index", url, "--engine", "exact"], { cwd: dir });
          expect(exact.stderr).not.toContain(server.password);
          expect(exact.code).toBe(0);
          expect(JSON.parse(exact.stdout)).toEqual(JSON.parse(file.stdout));
          const graph = await runCliInProcess([...args, "--index", url, "--engine", "hnsw"], { cwd: dir });
          expect(graph.code, `${args.join(" ")}: ${graph.stderr}`).toBe(0);
          const want = new Set(hitsOf(file.stdout).map((h) => h.id));
          const got = hitsOf(graph.stdout);
          expect(got).toHaveLength(want.size);
          found += got.filter((h) => want.has(h.id)).length;
          wanted += want.size;
        }
      }
    }
    expect(found / wanted).toBeGreaterThan(0.95);
  }, 300_000);

  it("takes credentials from PG* variables and keeps them out of every error", async () => {
    const port = server.url.match(/:(\d+)\//)![1]!;
    const env = { PGUSER: "postgres", PGPASSWORD: "env-secret-77", PGDATABASE: "postgres" };
    const ok = await runCliInProcess(
      ["query", "--id", "a00007", "--index", `postgres://127.0.0.1:${port}/?table=art&pool=1`, "--json"],
      { cwd: dir, env },
    );
    expect(ok.code).toBe(0);
    expect(hitsOf(ok.stdout)).toHaveLength(10);
    // Nothing listens on port 1: the connection error must name the place without the secrets.
    for (const url of [`postgres://u:url-secret-99@127.0.0.1:1/db?table=art`, "postgres://127.0.0.1:1/db"]) {
      const bad = await runCliInProcess(["index", "push", indexDir, url], { cwd: dir, env });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/PostgreSQL \(postgres:\/\/.*127\.0\.0\.1:1\/db/);
      for (const s of ["url-secret-99", "env-secret-77"]) expect(bad.stderr + bad.stdout).not.toContain(s);
    }
    const table = await runCliInProcess(["index", "push", indexDir, `${server.url}?table=Bad-Name`], {
      cwd: dir,
    });
    expect(table.code).toBe(2);
    expect(table.stderr).toContain("Invalid table name");
    expect(table.stderr).not.toContain(server.password);
  }, 120_000);

  it("resumes a push whose process was killed midway", async () => {
    if (!existsSync(path.join(root, "dist/src/cli.js")))
      throw new Error("dist/ is missing: run `npm run build` first");
    const big = path.join(dir, "big");
    const rows = 30_000;
    await writeSample(big, rows, 9);
    const url = `${server.url}?table=art_killed&pool=1`;
    const child = spawn(process.execPath, [path.join(root, "bin/mosaic.js"), "index", "push", big, url], {
      cwd: dir,
      env: { PATH: process.env.PATH, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let killedAt = -1;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_c, s) => resolve(s)));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = [...stderr.matchAll(/: (\d+) of 30000 rows/g)].map((x) => Number(x[1]));
      const mid = m.find((d) => d > 0 && d < rows);
      if (mid !== undefined && killedAt < 0) {
        killedAt = mid;
        child.kill("SIGKILL");
      }
    });
    expect(await exited).toBe("SIGKILL");
    expect(killedAt).toBeGreaterThan(0);
    expect(stderr).not.toContain(server.password);

    const resumed = await runCliInProcess(["index", "push", big, url, "--json"], { cwd: dir });
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.stdout) as { resumedAt: number; written: number; rows: number };
    expect(result.resumedAt).toBeGreaterThanOrEqual(killedAt);
    expect(result.resumedAt).toBeLessThan(rows);
    expect(result.written + result.resumedAt).toBe(rows);

    const args = ["query", "--id", "a00051", "--filter", "culture=persian", "--engine", "exact", "--json"];
    const file = await runCliInProcess([...args, "--index", big], { cwd: dir });
    const pg = await runCliInProcess([...args, "--index", url], { cwd: dir });
    expect(pg.code).toBe(0);
    expect(JSON.parse(pg.stdout)).toEqual(JSON.parse(file.stdout));
  }, 300_000);
});
