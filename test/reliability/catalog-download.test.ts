import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpCatalogSource } from "../../src/catalog/http-catalog-source.js";
import { readCatalog } from "../../src/catalog/read-catalog.js";
import { MosaicError } from "../../src/errors.js";
import { collect } from "../helpers/collect.js";

// Defect J9: a catalog server that never answered stalled featurize for 303 s. Now the catalog download
// has the image fetches' timeouts and retry policy; short timeouts keep the test quick.

const CSV = "id,image\na1,https://img.example/a1.jpg\na2,https://img.example/a2.jpg\n";
let server: Server;
let base = "";
const hits = new Map<string, number>();
const open = new Set<ServerResponse>();
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    const seen = (hits.get(path) ?? 0) + 1;
    hits.set(path, seen);
    open.add(res);
    if (path === "/silent.csv") return; // never answers
    if (path === "/stalls.csv") {
      res.writeHead(200, { "content-type": "text/csv" });
      res.write("id,image\na1,https://img.example/a1.jpg\n"); // then nothing, forever
      return;
    }
    if (path === "/flaky.csv" && seen < 3) {
      res.writeHead(seen === 1 ? 503 : 429, { "retry-after": "0" }).end("busy");
      return;
    }
    res.writeHead(200, { "content-type": "text/csv" }).end(CSV);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const source = () => createHttpCatalogSource({ timeoutMs: 300, attempts: 3, backoffMs: 1 });
const read = (name: string) =>
  collect(readCatalog(`${base}/${name}`, { imageColumns: ["image"], facets: {} }, { sources: [source()] }));

describe("catalog downloads time out and retry like image fetches", () => {
  it("gives up on a server that never answers, after the retries, with a clear error", async () => {
    const error = await read("silent.csv").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MosaicError);
    expect((error as Error).message).toMatch(/no answer within 0.3 s, 3 tries/);
    expect(hits.get("/silent.csv")).toBe(3);
  });

  it("fails a body that stops mid-stream instead of waiting forever", async () => {
    const error = await read("stalls.csv").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MosaicError);
    expect((error as Error).message).toMatch(/stalled: no data for 0.3 s/);
  });

  it("retries 503 and 429 answers and then reads the catalog", async () => {
    const entries = await read("flaky.csv");
    expect(entries.filter((e) => e.kind === "artwork")).toHaveLength(2);
    expect(hits.get("/flaky.csv")).toBe(3);
  });
});
