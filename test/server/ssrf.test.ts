import type { LookupAddress } from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImageFetcher } from "../../src/images/image-fetcher.js";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { startTestServer, type TestServer } from "../helpers/http-server.js";
import { type Harness, makeApp } from "./app-harness.js";
import { makeIndex } from "./fixtures.js";

/** DNS as the tests want it: evil.test points at loopback, images.test at the (loopback) test server. */
const lookup = async (host: string): Promise<LookupAddress[]> => {
  if (host === "evil.test" || host === "images.test") return [{ address: "127.0.0.1", family: 4 }];
  if (host === "mixed.test")
    return [
      { address: "93.184.215.14", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
};

describe("SSRF guard on image URLs (the real fetcher, blockPrivate on)", () => {
  let index: VectorIndex;
  let cleanup: () => Promise<void>;
  let server: TestServer;
  let h: Harness;
  let port: string;

  beforeAll(async () => {
    ({ index, cleanup } = await makeIndex());
    server = await startTestServer();
    port = new URL(server.url).port;
    // images.test is on the allowlist (the --allow-host escape hatch for intranet image hosts).
    const fetcher = createImageFetcher(
      { blockPrivate: true, allowHosts: ["images.test"], attempts: 1, timeoutMs: 5_000, cacheDir: null },
      { lookup },
    );
    h = await makeApp(index, {}, { fetchImage: (url, signal) => fetcher.fetch(url, signal) });
  });
  afterAll(async () => {
    await h.app.close();
    await server.close();
    await cleanup();
  });

  const search = (url: string) => h.app.inject({ method: "POST", url: "/v1/search", payload: { url } });

  it.each([
    ["loopback", () => `http://127.0.0.1:${port}/good.jpg`],
    [
      "the cloud metadata endpoint",
      () => "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    ],
    ["a host name resolving to loopback", () => `http://evil.test:${port}/good.jpg`],
    ["IPv6 loopback", () => `http://[::1]:${port}/good.jpg`],
    ["IPv4-mapped IPv6 loopback", () => `http://[::ffff:127.0.0.1]:${port}/good.jpg`],
    ["a private network address", () => "http://10.0.0.1/x.jpg"],
    ["multicast", () => "http://224.0.0.1/x.jpg"],
    ["a host with one private address among public ones", () => "http://mixed.test/x.jpg"],
    ["a redirect from an allowed host to loopback", () => `http://images.test:${port}/redirect-loopback`],
  ])("refuses %s with 400 blocked_address", async (_name, url) => {
    server.resetHits();
    const res = await search(url());
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "blocked_address" });
    expect((res.json() as { error: string }).error).toMatch(/blocked|non-public/i);
    expect(server.hits("/good.jpg")).toBe(0);
  });

  it("the legacy routes are guarded too", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/",
      payload: { url: "http://169.254.169.254/latest/meta-data/" },
    });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: string }).error).toMatch(/blocked/i);
  });

  it("fetches from an allow-listed host", async () => {
    const res = await search(`http://images.test:${port}/good.jpg`);
    expect(res.statusCode).toBe(200);
    expect((res.json() as { results: { id: string }[] }).results[0]?.id).toBe("a1");
  });

  it("a URL serving HTML is 400 not_an_image, a 404 is 400 too", async () => {
    const html = await search(`http://images.test:${port}/html`);
    expect(html.statusCode).toBe(400);
    expect(html.json()).toMatchObject({ code: "not_an_image" });
    const missing = await search(`http://images.test:${port}/missing`);
    expect(missing.statusCode).toBe(400);
  });
});
