import { Writable } from "node:stream";
import path from "node:path";
import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadIndex } from "../../src/vector-index/load-index.js";
import type { IndexRecord, VectorIndex } from "../../src/vector-index/types.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { connectPg } from "../../src/pgvector/connect-pg.js";
import { parsePgLocation } from "../../src/pgvector/pg-location.js";
import { openPgStore } from "../../src/pgvector/pg-store.js";
import { pushToPg } from "../../src/pgvector/push-to-pg.js";
import type { SqlPort } from "../../src/pgvector/sql-port.js";
import { loggerOptions } from "../../src/server/logger-options.js";
import { pgCatalog } from "../../src/server/pg-catalog.js";
import { makeTestImages } from "../helpers/http-server.js";
import { type PgliteServer, startPgliteServer } from "../helpers/pglite-server.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { clusteredVectors } from "../search/synthetic.js";
import { makeApp } from "../server/app-harness.js";
import { DIM, SPEC } from "../server/fixtures.js";

const COUNT = 300;
const CULTURES = ["Japanese", "Côte d'Ivoire", "Dutch", "Mexican"];
const CLASSES = ["Print", "Mask", "Painting"];
const JPEG_URL = "https://img.example.org/query.jpg";
const PNG_URL = "https://img.example.org/query.png";

let server: PgliteServer;
let sql: SqlPort;
/** PGlite serves one connection at a time: tests that connect otherwise close the shared pool first. */
let sqlClosed = false;
let dir: string;
let indexDir: string;
let index: VectorIndex;
let cleanup: () => Promise<void>;
let images: Record<string, Buffer>;

beforeAll(async () => {
  server = await startPgliteServer();
  ({ dir, cleanup } = await makeTempDir("mosaic-pgserve-"));
  indexDir = path.join(dir, "index");
  const vectors = clusteredVectors(COUNT, DIM, 6, 3);
  // Exact duplicates: equal scores, so both stores must fall back to ids the same way.
  for (let p = 0; p < 12; p++) vectors.copyWithin((40 + p) * DIM, 2 * DIM, 3 * DIM);
  const records: IndexRecord[] = Array.from({ length: COUNT }, (_, i) => ({
    id: `a${String(i).padStart(4, "0")}`,
    image: `https://img.example.org/${i}.jpg`,
    facets: { culture: CULTURES[i % CULTURES.length]!, classification: CLASSES[(i * 7) % 3]! },
    meta: { Title: `Work ${i}` },
  }));
  await writeIndex(indexDir, {
    model: { id: "fake-model", dim: DIM, preprocess: SPEC },
    facets: ["culture", "classification"],
    records,
    vectors,
  });
  index = await loadIndex(indexDir);
  sql = connectPg(parsePgLocation(`${server.url}?pool=1`));
  await pushToPg(index, sql, "art", { batchSize: 128 });
  const { jpeg, png } = await makeTestImages();
  images = { [JPEG_URL]: jpeg, [PNG_URL]: png };
}, 120_000);

afterAll(async () => {
  if (!sqlClosed) await sql?.close();
  await server?.stop();
  await cleanup?.();
});

/** Every route a client reads, with the filters that exercise folding, OR, AND, unmatched values and paging. */
function requests(jpeg: Buffer): InjectOptions[] {
  const search = (payload: Record<string, unknown>): InjectOptions => ({
    method: "POST",
    url: "/v1/search",
    payload,
  });
  return [
    search({ id: "a0002", n: 20 }),
    search({ id: "a0002", n: 20, filter: { culture: "cote d'ivoire" } }),
    search({ id: "a0100", n: 7, filter: { culture: ["japanese", "Dutch"], classification: "mask" } }),
    search({ id: "a0100", n: 5, filter: { culture: "Atlantis" } }),
    search({ url: JPEG_URL, n: 12, filter: { classification: "Print" } }),
    search({ url: PNG_URL, n: 300 }),
    {
      method: "POST",
      url: "/v1/search?n=4&filter=culture=Mexican",
      payload: jpeg,
      headers: { "content-type": "image/jpeg" },
    },
    { method: "GET", url: `/?url=${encodeURIComponent(JPEG_URL)}&n=6&culture=Dutch` },
    { method: "POST", url: "/score", payload: { url: PNG_URL, n: 3, query: "painting" } },
    { method: "GET", url: "/v1/artworks/a0042" },
    { method: "GET", url: "/v1/artworks/nope" },
    { method: "GET", url: "/v1/facets" },
    { method: "GET", url: "/v1/artworks?offset=5&limit=7" },
    { method: "GET", url: "/v1/artworks?offset=3&limit=5&filter=culture=Dutch&filter=classification=Mask" },
    { method: "GET", url: "/v1/artworks?offset=500&limit=5" },
    { method: "GET", url: "/v1/artworks?filter=period=Edo" },
    { method: "POST", url: "/v1/search", payload: { id: "a0001", filter: { period: "Edo" } } },
    { method: "GET", url: "/readyz" },
  ];
}

async function answers(app: FastifyInstance, list: InjectOptions[]) {
  const out: { status: number; body: unknown }[] = [];
  for (const r of list) {
    const res = await app.inject(r);
    out.push({ status: res.statusCode, body: res.json() });
  }
  return out;
}

describe("serve --index postgres:// (PGlite + pgvector 0.8.0)", () => {
  it("answers /v1, the legacy routes and browsing exactly as the file index does", async () => {
    const list = requests(images[JPEG_URL]!);
    const file = await makeApp(index, images);
    const want = await answers(file.app, list);
    // The file index's answers are the contract; a few spot checks that the list exercises what it says.
    expect(want.map((a) => a.status)).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 200, 200, 200, 200, 400, 400, 200,
    ]);
    expect((want[3]!.body as { unmatched: unknown[] }).unmatched).toHaveLength(1);
    expect((want[5]!.body as { results: unknown[] }).results).toHaveLength(COUNT);
    for (const engine of ["exact", "auto"] as const) {
      const store = await openPgStore(sql, "art", engine);
      const pg = await makeApp(index, images, { catalog: pgCatalog(store) });
      expect(await answers(pg.app, list)).toEqual(want);
      await pg.app.close();
    }
    await file.app.close();
  }, 120_000);

  it("never echoes or logs the database password when PostgreSQL fails mid-request", async () => {
    await sql.close();
    sqlClosed = true;
    const secret = "serve-secret-31";
    const url = server.url.replace(server.password, secret);
    const own = connectPg(parsePgLocation(`${url}?table=art_gone&pool=1`));
    // The socket server takes the next connection only once it has seen the last one close.
    await vi.waitFor(() => own.query("SELECT 1"), { timeout: 10_000, interval: 200 });
    await pushToPg(index, own, "art_gone", { batchSize: 300 });
    const store = await openPgStore(own, "art_gone", "exact");
    let logs = "";
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs += chunk.toString();
        done();
      },
    });
    const { app } = await makeApp(index, images, {
      catalog: pgCatalog(store),
      logger: loggerOptions(sink, "debug"),
    });
    await own.query('DROP TABLE "art_gone"');
    for (const r of [
      { method: "POST" as const, url: "/v1/search", payload: { id: "a0001" } },
      { method: "GET" as const, url: `/?url=${encodeURIComponent(JPEG_URL)}` },
      { method: "GET" as const, url: "/v1/artworks?limit=3" },
    ]) {
      const res = await app.inject(r);
      expect(res.statusCode).toBe(503);
      expect(res.headers["retry-after"]).toBe("5");
      expect(res.body).not.toContain(secret);
      expect(res.json()).toMatchObject({ error: "The index store is unavailable; try again shortly" });
    }
    expect(logs).toContain("request failed");
    expect(logs).toMatch(/PostgreSQL \(postgres:\/\/REDACTED@127\.0\.0\.1/);
    expect(logs).not.toContain(secret);
    await app.close();
    await own.close();
  }, 120_000);

  it("`mosaic serve` opens the table and keeps credentials out of its errors", async () => {
    const missing = await runCliInProcess(["serve", "--index", `${server.url}?table=nothing_here&pool=1`], {
      cwd: dir,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("holds no mosaic index");
    expect(missing.stderr).toContain("REDACTED");
    expect(missing.stderr + missing.stdout).not.toContain(server.password);
    const env = { PGUSER: "u", PGPASSWORD: "env-secret-58", PGDATABASE: "db" };
    const down = await runCliInProcess(["serve", "--index", "postgres://127.0.0.1:1/?table=art"], {
      cwd: dir,
      env,
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/PostgreSQL \(postgres:\/\/.*127\.0\.0\.1:1/);
    expect(down.stderr + down.stdout).not.toContain("env-secret-58");
  }, 60_000);
});
