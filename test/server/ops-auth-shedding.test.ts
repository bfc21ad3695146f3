import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { createBatchingEmbedder } from "../../src/server/batching-embedder.js";
import { loggerOptions } from "../../src/server/logger-options.js";
import { createServerMetrics } from "../../src/server/server-metrics.js";
import { makeTestImages } from "../helpers/http-server.js";
import { makeApp } from "./app-harness.js";
import { fakeEmbedder, makeIndex } from "./fixtures.js";

const JPEG_URL = "https://img.example.org/query.jpg";

describe("ops routes, auth, load shedding, logs", () => {
  let index: VectorIndex;
  let cleanup: () => Promise<void>;
  let jpeg: Buffer;

  beforeAll(async () => {
    ({ index, cleanup } = await makeIndex());
    ({ jpeg } = await makeTestImages());
  });
  afterAll(() => cleanup());

  it("/healthz is always up; /readyz is 503 until the model is warm, then 200", async () => {
    let ready = false;
    const { app } = await makeApp(index, {}, { isReady: () => ready });
    expect((await app.inject({ url: "/healthz" })).statusCode).toBe(200);
    const starting = await app.inject({ url: "/readyz" });
    expect(starting.statusCode).toBe(503);
    expect(starting.json()).toMatchObject({ status: "starting" });
    ready = true;
    const ok = await app.inject({ url: "/readyz" });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      status: "ready",
      artworks: 5,
      model: "fake-model",
      facets: ["culture", "classification"],
    });
    await app.close();
  });

  it("/metrics exposes request counts, latency histograms, queue depth and batch sizes", async () => {
    const { app, metrics } = await makeApp(index, { [JPEG_URL]: jpeg });
    metrics.watchEmbedder({ queueDepth: 7, inFlight: 0 });
    metrics.batchSize.observe(3);
    await app.inject({ method: "POST", url: "/v1/search", payload: { id: "a1" } });
    await app.inject({ method: "POST", url: "/v1/search", payload: { id: "nope" } });
    const res = await app.inject({ url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0.0.4/);
    const text = res.body;
    expect(text).toContain("# TYPE mosaic_http_requests_total counter");
    expect(text).toContain('mosaic_http_requests_total{method="POST",route="/v1/search",status="200"} 1');
    expect(text).toContain('mosaic_http_requests_total{method="POST",route="/v1/search",status="400"} 1');
    expect(text).toContain("# TYPE mosaic_http_request_duration_seconds histogram");
    expect(text).toMatch(/mosaic_http_request_duration_seconds_bucket\{route="\/v1\/search",le="\+Inf"\} 2/);
    expect(text).toContain("mosaic_embed_queue_depth 7");
    expect(text).toContain('mosaic_model_batch_size_bucket{le="2"} 0');
    expect(text).toContain('mosaic_model_batch_size_bucket{le="4"} 1');
    expect(text).toContain("mosaic_model_batch_size_count 1");
    await app.close();
  });

  it("/openapi.json is an OpenAPI 3.1 document naming every route, each with its own operationId", async () => {
    const { app } = await makeApp(index, {}, { version: "1.2.3" });
    const doc = (await app.inject({ url: "/openapi.json" })).json() as {
      openapi: string;
      info: { version: string };
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.version).toBe("1.2.3");
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/",
        "/healthz",
        "/metrics",
        "/openapi.json",
        "/readyz",
        "/score",
        "/v1/artworks",
        "/v1/artworks/{id}",
        "/v1/artworks/{id}/image",
        "/v1/facets",
        "/v1/search",
        "/ui/",
      ].sort(),
    );
    await app.close();
  });

  describe("with an API key", () => {
    const key = "s3cret-key";

    it("search routes need x-api-key; probes do not", async () => {
      const { app } = await makeApp(index, { [JPEG_URL]: jpeg }, { apiKey: key });
      const none = await app.inject({ method: "POST", url: "/v1/search", payload: { id: "a1" } });
      expect(none.statusCode).toBe(401);
      expect(none.headers["access-control-allow-origin"]).toBe("*");
      const wrong = await app.inject({
        method: "POST",
        url: "/v1/search",
        payload: { id: "a1" },
        headers: { "x-api-key": "s3cret-kez" },
      });
      expect(wrong.statusCode).toBe(401);
      const right = await app.inject({
        method: "POST",
        url: "/v1/search",
        payload: { id: "a1" },
        headers: { "x-api-key": key },
      });
      expect(right.statusCode).toBe(200);
      const legacy = await app.inject({ method: "POST", url: "/", payload: { url: JPEG_URL } });
      expect(legacy.statusCode).toBe(401);
      expect(legacy.json()).toHaveProperty("error");
      expect((await app.inject({ url: "/v1/artworks/a1" })).statusCode).toBe(401);
      expect((await app.inject({ url: "/healthz" })).statusCode).toBe(200);
      expect((await app.inject({ url: "/readyz" })).statusCode).toBe(200);
      await app.close();
    });

    it("without a key configured, search routes are open", async () => {
      const { app } = await makeApp(index, {}, { apiKey: undefined });
      expect((await app.inject({ url: "/v1/artworks/a1" })).statusCode).toBe(200);
      await app.close();
    });
  });

  it("sheds load: 503 with Retry-After when the embed queue is full, on v1 and legacy routes", async () => {
    const model = fakeEmbedder();
    let release!: () => void;
    model.block = new Promise<void>((r) => (release = r));
    const embedder = createBatchingEmbedder(model, { maxBatch: 1, maxWaitMs: 0, maxQueue: 1 });
    const { app } = await makeApp(index, { [JPEG_URL]: jpeg }, { embedder });
    const search = () => app.inject({ method: "POST", url: "/v1/search", payload: { url: JPEG_URL } });
    const first = search(); // inside the (blocked) model
    await vi.waitFor(() => expect(model.batches).toEqual([1]));
    const second = search(); // waiting in the queue
    await vi.waitFor(() => expect(embedder.queueDepth).toBe(1));
    const shed = await search();
    expect(shed.statusCode).toBe(503);
    expect(shed.headers["retry-after"]).toBe("1");
    expect(shed.json()).toMatchObject({ code: "overloaded" });
    const shedLegacy = await app.inject({ method: "POST", url: "/", payload: { url: JPEG_URL } });
    expect(shedLegacy.statusCode).toBe(503);
    expect(Object.keys(shedLegacy.json() as object)).toEqual(["error"]);
    release();
    expect((await first).statusCode).toBe(200);
    expect((await second).statusCode).toBe(200);
    expect((await search()).statusCode).toBe(200);
    await app.close();
  });

  it("answers 503 when a search outlives its deadline", async () => {
    const model = fakeEmbedder();
    model.block = new Promise<void>(() => {}); // never finishes
    const { app } = await makeApp(
      index,
      { [JPEG_URL]: jpeg },
      { embedder: model, limits: { searchTimeoutMs: 50 } },
    );
    const res = await app.inject({ method: "POST", url: "/v1/search", payload: { url: JPEG_URL } });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: "timeout" });
    await app.close();
  });

  it("a model failure is a 500 without internals, and the server keeps serving", async () => {
    const model = { dim: 8, embed: async () => Promise.reject(new Error("CUDA said no at 0xdeadbeef")) };
    const { app } = await makeApp(index, { [JPEG_URL]: jpeg }, { embedder: model });
    const res = await app.inject({ method: "POST", url: "/v1/search", payload: { url: JPEG_URL } });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain("deadbeef");
    expect((await app.inject({ url: "/healthz" })).statusCode).toBe(200);
    await app.close();
  });

  it("logs JSON lines with API keys and SAS signatures redacted", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { app } = await makeApp(
      index,
      {},
      { logger: loggerOptions(sink), apiKey: "top-secret-key", metrics: createServerMetrics() },
    );
    const sas = "https://acct.blob.core.windows.net/c/x.jpg?sv=2020-08-04&sig=SIGNATURE123%2Babc%3D&se=2030";
    await app.inject({
      method: "GET",
      url: `/?url=${encodeURIComponent(sas)}&n=3`,
      headers: { "x-api-key": "top-secret-key", authorization: "Bearer tok-xyz" },
    });
    const text = lines.join("");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(text).toContain("REDACTED");
    expect(text).not.toContain("top-secret-key");
    expect(text).not.toContain("tok-xyz");
    expect(text).not.toContain("SIGNATURE123");
    await app.close();
  });
});
