import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortedError } from "../../src/errors.js";
import { searchExactWithMatches } from "../../src/search/search-exact.js";
import type { Filter, VectorIndex } from "../../src/vector-index/types.js";
import { connectPg } from "../../src/pgvector/connect-pg.js";
import { parsePgLocation } from "../../src/pgvector/pg-location.js";
import { openPgStore } from "../../src/pgvector/pg-store.js";
import { pushToPg } from "../../src/pgvector/push-to-pg.js";
import type { SqlPort } from "../../src/pgvector/sql-port.js";
import { type PgliteServer, startPgliteServer } from "../helpers/pglite-server.js";
import { clusteredVectors, syntheticIndex } from "../search/synthetic.js";

const DIM = 24;
const COUNT = 1500;

let server: PgliteServer;
let sql: SqlPort;
let index: VectorIndex;

beforeAll(async () => {
  server = await startPgliteServer();
  sql = connectPg(parsePgLocation(`${server.url}?pool=1`));
  const vectors = clusteredVectors(COUNT, DIM, 12, 7);
  // Exact duplicates: equal scores, so the order must fall back to ids the same way in both stores.
  for (let p = 0; p < 40; p++) vectors.copyWithin((100 + p) * DIM, 5 * DIM, 6 * DIM);
  index = syntheticIndex(vectors, DIM, { culture: 6, classification: 4 }, 3);
}, 120_000);

afterAll(async () => {
  await sql?.close();
  await server?.stop();
});

const FILTERS: [string, Filter | undefined][] = [
  ["none", undefined],
  ["one value", { culture: ["culture0"] }],
  ["OR within a field", { culture: ["culture1", "culture4"] }],
  ["AND across fields", { culture: ["culture2"], classification: ["classification1"] }],
  ["nothing matches", { culture: ["no such culture"] }],
];

describe("pgvector store (PGlite over the wire protocol)", () => {
  it("resumes a push killed midway from the last committed batch", async () => {
    const stop = new AbortController();
    const seen: number[] = [];
    await expect(
      pushToPg(index, sql, "art_resume", {
        batchSize: 200,
        signal: stop.signal,
        onProgress: (done) => {
          seen.push(done);
          if (done >= 600) stop.abort();
        },
      }),
    ).rejects.toBeInstanceOf(AbortedError);
    const partial = await sql.query<{ n: string }>('SELECT count(*) AS n FROM "art_resume"');
    expect(Number(partial[0]!.n)).toBe(600);
    await expect(openPgStore(sql, "art_resume")).resolves.toBeDefined();

    const resumed = await pushToPg(index, sql, "art_resume", { batchSize: 200 });
    expect(resumed).toMatchObject({ rows: COUNT, resumedAt: 600, written: COUNT - 600, unchanged: false });
    const again = await pushToPg(index, sql, "art_resume", { batchSize: 200 });
    expect(again).toMatchObject({ unchanged: true, written: 0 });
  }, 120_000);

  it("answers exact queries exactly as the file index does, filters and ties included", async () => {
    await pushToPg(index, sql, "art", { batchSize: 500 });
    const store = await openPgStore(sql, "art", "exact");
    for (const [, filter] of FILTERS) {
      for (const q of [3, 5, 700, 1400]) {
        const vector = index.vectors.subarray(q * DIM, (q + 1) * DIM);
        for (const n of [1, 10, 60]) {
          const want = searchExactWithMatches(index, vector, { n, filter, excludeOrdinal: q });
          const got = await store.search(vector, { n, filter, excludeId: index.records[q]!.id });
          expect(got.matches).toBe(want.matches);
          expect(got.hits.map((h) => [h.id, h.score])).toEqual(want.hits.map((h) => [h.id, h.score]));
          expect(got.hits.map((h) => h.record)).toEqual(want.hits.map((h) => index.records[h.ordinal]));
        }
      }
    }
  }, 120_000);

  it("HNSW (iterative scans for filters) keeps recall and still returns min(n, matches)", async () => {
    const store = await openPgStore(sql, "art", "hnsw");
    expect(store.pgvector).toBe("0.8.0");
    let found = 0;
    let wanted = 0;
    for (const [, filter] of FILTERS) {
      for (let q = 0; q < COUNT; q += 97) {
        const vector = index.vectors.subarray(q * DIM, (q + 1) * DIM);
        const want = searchExactWithMatches(index, vector, { n: 10, filter });
        const got = await store.search(vector, { n: 10, filter });
        expect(got.hits).toHaveLength(Math.min(10, want.matches));
        const ids = new Set(want.hits.map((h) => h.id));
        found += got.hits.filter((h) => ids.has(h.id)).length;
        wanted += ids.size;
      }
    }
    expect(found / wanted).toBeGreaterThan(0.95);
  }, 120_000);

  it("refuses what it cannot answer with clear errors", async () => {
    const store = await openPgStore(sql, "art");
    const q = index.vectors.subarray(0, DIM);
    await expect(store.search(q, { n: 5, filter: { period: ["x"] } })).rejects.toThrow(
      /Unknown filter field "period"; this index has facets: culture, classification/,
    );
    await expect(store.search(q.subarray(1), { n: 5 })).rejects.toThrow(/23 dimensions; the index has 24/);
    await expect(openPgStore(sql, "no_such_table")).rejects.toThrow(/holds no mosaic index/);
    const other = syntheticIndex(clusteredVectors(10, 8, 2, 1), 8, { culture: 2 }, 1);
    await expect(pushToPg(other, sql, "art")).rejects.toThrow(/holds 24-d vectors; this index has 8-d/);
  }, 120_000);
});
