import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExternalError, UsageError } from "../../src/errors.js";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { resultsToJson } from "../../src/query/format-results.js";
import { queryService } from "../../src/server/service-client.js";
import { type RunningServer, startServer } from "../../src/server/start-server.js";
import { makeTestImages } from "../helpers/http-server.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { makeApp } from "./app-harness.js";
import { makeIndex } from "./fixtures.js";

const JPEG_URL = "https://img.example.org/query.jpg";
const KEY = "client-test-key";

describe("queryService (mosaic query --service)", () => {
  let index: VectorIndex;
  let cleanupIndex: () => Promise<void>;
  let cleanupDir: () => Promise<void>;
  let dir: string;
  let server: RunningServer;
  const controller = new AbortController();

  beforeAll(async () => {
    ({ index, cleanup: cleanupIndex } = await makeIndex());
    ({ dir, cleanup: cleanupDir } = await makeTempDir());
    const { jpeg, png } = await makeTestImages();
    await writeFile(path.join(dir, "query.png"), png);
    await writeFile(path.join(dir, "notes.txt"), "not an image");
    const { app } = await makeApp(index, { [JPEG_URL]: jpeg }, { apiKey: KEY });
    server = await startServer(app, { host: "127.0.0.1", port: 0, signal: controller.signal });
  });
  afterAll(async () => {
    controller.abort();
    await server.closed;
    await cleanupDir();
    await cleanupIndex();
  });

  it("uploads a local file and returns the same QueryResult a local query would", async () => {
    const { result, facets } = await queryService(server.url, {
      image: "query.png",
      cwd: dir,
      n: 2,
      apiKey: KEY,
    });
    expect(result.hits.map((h) => h.id)).toEqual(["a4", "a3"]);
    expect(result.matches).toBe(5);
    expect(facets).toEqual(["culture", "classification"]);
    expect(result.hits[0]).toMatchObject({ rank: 1, id: "a4", record: index.recordById("a4") });
  });

  it("passes n and a filter with an upload", async () => {
    const { result } = await queryService(`${server.url}/`, {
      image: path.join(dir, "query.png"),
      n: 5,
      filter: { classification: ["print", "painting"] },
      apiKey: KEY,
    });
    expect(result.hits.map((h) => h.id)).toEqual(["a3", "a2", "a1", "a5"]);
  });

  it("passes a URL through as {url}, and an id as {id}", async () => {
    const byUrl = await queryService(server.url, {
      image: JPEG_URL,
      n: 1,
      filter: { culture: ["Dutch"] },
      apiKey: KEY,
    });
    expect(byUrl.result.hits.map((h) => h.id)).toEqual(["a1"]);
    const byId = await queryService(server.url, { id: "a1", n: 1, apiKey: KEY });
    expect(resultsToJson(byId.result).results.map((r) => r.id)).toEqual(["a2"]);
  });

  it("turns service errors into mosaic errors with the service's message", async () => {
    await expect(queryService(server.url, { id: "a1", n: 1 })).rejects.toSatisfy(
      (e) => e instanceof UsageError && /API key/.test(e.message) && /MOSAIC_API_KEY/.test(e.hint ?? ""),
    );
    await expect(queryService(server.url, { id: "nope", n: 1, apiKey: KEY })).rejects.toThrow(
      /No artwork with id "nope"/,
    );
    await expect(
      queryService(server.url, { image: "notes.txt", cwd: dir, n: 1, apiKey: KEY }),
    ).rejects.toThrow(/Not an image/);
    await expect(queryService(server.url, { image: "missing.jpg", cwd: dir, n: 1 })).rejects.toThrow(
      /Cannot read image/,
    );
  });

  it("says when the service cannot be reached", async () => {
    await expect(queryService("http://127.0.0.1:9", { id: "a1", n: 1 })).rejects.toBeInstanceOf(
      ExternalError,
    );
  });
});
