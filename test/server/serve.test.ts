import http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { type ServeMonitor, serve } from "../../src/server/serve.js";
import type { RunningServer } from "../../src/server/start-server.js";
import { makeTestImages } from "../helpers/http-server.js";
import { fakeDecode, fakeEmbedder, makeIndex } from "./fixtures.js";

/** A GET on a fresh connection (no keep-alive pool), to see whether the server still accepts. */
function freshGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

describe("serve (real HTTP on 127.0.0.1:0)", () => {
  let index: VectorIndex;
  let cleanup: () => Promise<void>;
  let jpeg: Buffer;

  beforeAll(async () => {
    ({ index, cleanup } = await makeIndex());
    ({ jpeg } = await makeTestImages());
  });
  afterAll(() => cleanup());

  it("batches concurrent requests into one model call, then shuts down gracefully", async () => {
    const model = fakeEmbedder();
    const controller = new AbortController();
    let running: RunningServer | undefined;
    const monitor = { listening: vi.fn<ServeMonitor["listening"]>(), ready: vi.fn() };
    const done = serve(
      // A long wait and a batch of 4: four concurrent searches must share one model call.
      {
        host: "127.0.0.1",
        port: 0,
        batching: { maxBatch: 4, maxWaitMs: 60_000, maxQueue: 16 },
        graceMs: 10_000,
      },
      {
        index,
        embedder: model,
        fetchImage: async () => jpeg,
        decodeImage: fakeDecode,
        logger: false,
        signal: controller.signal,
        onListening: (server) => {
          running = server;
        },
        monitor,
      },
    );
    await vi.waitFor(() => expect(running).toBeDefined());
    const base = running!.url;
    await vi.waitFor(async () => expect((await fetch(`${base}/readyz`)).status).toBe(200));
    expect(model.batches).toEqual([1]); // the warm-up run

    const search = () =>
      fetch(`${base}/v1/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: "https://img.example.org/q.jpg", n: 2 }),
      });
    const responses = await Promise.all([search(), search(), search(), search()]);
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id)).toEqual([
        "a1",
        "a2",
      ]);
    }
    expect(model.batches).toEqual([1, 4]);
    // The live panel's port: told where and when ready, and its reader sees the searches (not /readyz).
    expect(monitor.listening).toHaveBeenCalledWith(
      expect.objectContaining({ url: base, artworks: index.count }),
    );
    expect(monitor.ready).toHaveBeenCalledTimes(1);
    const readMetrics = monitor.listening.mock.calls[0]![0].readMetrics;
    await vi.waitFor(() =>
      expect(readMetrics()).toMatchObject({ requests: 4, serverErrors: 0, batches: 1, batchedImages: 4 }),
    );
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain("mosaic_model_batch_size_count 1");
    expect(metrics).toContain("mosaic_model_batch_size_sum 4");
    expect(metrics).toContain('mosaic_model_batch_size_bucket{le="2"} 0');

    // Graceful shutdown: a request inside the model when the signal fires still gets its answer.
    let release!: () => void;
    model.block = new Promise<void>((r) => (release = r));
    const inFlight = Promise.all([search(), search(), search(), search()]);
    await vi.waitFor(() => expect(model.batches).toEqual([1, 4, 4]));
    const abortedAt = Date.now();
    controller.abort();
    // It stops accepting new connections at once...
    await vi.waitFor(() => expect(freshGet(`${base}/healthz`)).rejects.toThrow(/ECONNREFUSED/));
    let finished = false;
    void done.then(() => (finished = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(finished).toBe(false); // ...but waits for the in-flight requests
    release();
    const late = await inFlight;
    expect(late.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await done;
    // Idle keep-alive sockets are closed as they free up, so shutdown does not sit out graceMs.
    expect(Date.now() - abortedAt).toBeLessThan(5_000);
  });

  it("fails clearly (and stops listening) when the model's warm-up run fails", async () => {
    const controller = new AbortController();
    let running: RunningServer | undefined;
    const broken = { dim: 8, embed: async () => Promise.reject(new Error("bad model")) };
    await expect(
      serve(
        { host: "127.0.0.1", port: 0 },
        {
          index,
          embedder: broken,
          fetchImage: async () => jpeg,
          decodeImage: fakeDecode,
          logger: false,
          signal: controller.signal,
          onListening: (server) => {
            running = server;
          },
        },
      ),
    ).rejects.toThrow(/warm-up/);
    await expect(freshGet(`${running!.url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
