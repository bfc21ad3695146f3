import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { AppLimits } from "../../src/server/build-app.js";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { makeTestImages } from "../helpers/http-server.js";
import { makeApp } from "./app-harness.js";
import { fakeDecode, fakeEmbedder, makeIndex } from "./fixtures.js";

// Defect J5: under a 10× overload the service read and decoded every upload before it could refuse it,
// so refusals came late and admitted requests waited 9.8 s. Searches are now admitted (or refused with
// 503 + Retry-After) on their headers, before the body is read; slow-header clients are cut off, and the
// number of connections is capped. All over real loopback sockets, with small limits set by the test.

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POSTs raw image bytes; `sendBody: false` sends the headers (and a declared length) but no body. */
function upload(port: number, body: Buffer, options: { sendBody?: boolean; path?: string } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: options.path ?? "/v1/search",
        headers: { "content-type": "image/jpeg", "content-length": body.length },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", reject);
      },
    );
    // The server may answer (and close) before the body is sent: that is the point, not an error.
    req.on("error", (error) => reject(error));
    req.flushHeaders();
    if (options.sendBody !== false) req.end(body);
  });
}

function get(port: number, path: string) {
  return new Promise<number>((resolve, reject) => {
    httpRequest({ host: "127.0.0.1", port, path }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    })
      .on("error", reject)
      .end();
  });
}

describe("graceful overload", () => {
  let index: VectorIndex;
  let cleanup: () => Promise<void>;
  let jpeg: Buffer;
  let app: FastifyInstance | undefined;

  beforeAll(async () => {
    ({ index, cleanup } = await makeIndex());
    ({ jpeg } = await makeTestImages());
  });
  afterAll(() => cleanup());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function listen(limits: Partial<AppLimits>) {
    const model = fakeEmbedder();
    let release!: () => void;
    model.block = new Promise<void>((r) => (release = r));
    let decoded = 0;
    const harness = await makeApp(
      index,
      {},
      {
        embedder: model,
        limits,
        decodeImage: (buf, spec) => {
          decoded++;
          return fakeDecode(buf, spec);
        },
      },
    );
    app = harness.app;
    await app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = app.server.address() as AddressInfo;
    return { port, model, release, decoded: () => decoded };
  }

  it("a flood of uploads beyond maxPending gets 503 + Retry-After; every admitted one succeeds", async () => {
    const { port, model, release, decoded } = await listen({ maxPending: 3 });
    const flood = Array.from({ length: 20 }, () => upload(port, jpeg));
    // Three are admitted (blocked in the model); the other 17 are answered while they wait.
    await vi.waitFor(() => expect(model.batches.length).toBeGreaterThan(0));
    const early = await Promise.race([
      Promise.allSettled(flood.slice(3)),
      new Promise((r) => setTimeout(r, 2000, "blocked")),
    ]);
    expect(early).not.toBe("blocked");
    expect(await get(port, "/healthz")).toBe(200);
    release();
    const answers = await Promise.all(flood);
    const ok = answers.filter((a) => a.status === 200);
    const shed = answers.filter((a) => a.status === 503);
    expect(ok.length + shed.length).toBe(20);
    expect(ok.length).toBe(3);
    for (const a of shed) {
      expect(a.headers["retry-after"]).toBe("1");
      expect(JSON.parse(a.body)).toMatchObject({ code: "overloaded" });
    }
    expect(decoded()).toBe(3); // refused uploads were never decoded
    // Slots come back: the server admits again once the flood has been answered.
    expect((await upload(port, jpeg)).status).toBe(200);
  });

  it("refuses on the headers alone: a declared upload whose body never comes still gets its 503", async () => {
    const { port, release } = await listen({ maxPending: 1 });
    const admitted = upload(port, jpeg);
    await vi.waitFor(async () => {
      const next = await upload(port, Buffer.alloc(5 * 1024 * 1024), { sendBody: false });
      expect(next.status).toBe(503);
      expect(next.headers.connection).toBe("close");
    });
    // The legacy routes shed the same way, in their own shape.
    const legacy = await upload(port, Buffer.from("{}"), { path: "/" });
    expect(legacy.status).toBe(503);
    expect(Object.keys(JSON.parse(legacy.body) as object)).toEqual(["error"]);
    release();
    expect((await admitted).status).toBe(200);
  });

  it("cuts off a client that never finishes its headers (slowloris)", async () => {
    const { port } = await listen({ headersTimeoutMs: 200, requestTimeoutMs: 5000 });
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (c: Buffer) => (received += c.toString()));
    socket.write("POST /v1/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n");
    await new Promise<void>((resolve) => socket.on("close", () => resolve()));
    expect(received).toMatch(/^HTTP\/1.1 408/);
  });

  it("closes connections beyond maxConnections; the ones it holds still work", async () => {
    const { port, release } = await listen({ maxConnections: 2 });
    release();
    const open = async () => {
      const socket = connect(port, "127.0.0.1");
      await new Promise<void>((resolve) => socket.on("connect", () => resolve()));
      return socket;
    };
    const held = [await open(), await open()];
    const third = await open();
    await new Promise<void>((resolve) => third.on("close", () => resolve()));
    for (const s of held) expect(s.destroyed).toBe(false);
    held[0]!.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const reply = await new Promise<string>((resolve) => {
      let text = "";
      held[0]!.on("data", (c: Buffer) => (text += c.toString()));
      held[0]!.on("close", () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1.1 200/);
    held[1]!.destroy();
  });
});
