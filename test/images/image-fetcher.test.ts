import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ImageFailure } from "../../src/images/failure.js";
import type { HostLookup } from "../../src/images/http-get.js";
import { cachePath } from "../../src/images/image-cache.js";
import {
  createImageFetcher,
  type ImageFetcher,
  type ImageFetcherOptions,
} from "../../src/images/image-fetcher.js";
import { startTestServer, type TestServer } from "../helpers/http-server.js";
import { makeTempDir } from "../helpers/temp-dir.js";

let server: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
const fetchers: ImageFetcher[] = [];

beforeAll(async () => {
  server = await startTestServer({ slowMs: 3_000, bigBytes: 200 * 1024 });
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => {
  for (const fetcher of fetchers.splice(0)) fetcher.close();
  server.resetHits();
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

/** Fast settings for tests: short timeout, near-zero backoff, 64 KiB cap. */
function fetcher(options: ImageFetcherOptions = {}, lookup?: HostLookup): ImageFetcher {
  const made = createImageFetcher(
    { timeoutMs: 400, backoffMs: 1, maxBytes: 64 * 1024, ...options },
    lookup ? { lookup } : {},
  );
  fetchers.push(made);
  return made;
}

async function failure(work: Promise<unknown>): Promise<ImageFailure> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageFailure);
  return error as ImageFailure;
}

describe("createImageFetcher over HTTP", () => {
  it("downloads JPEG and PNG", async () => {
    const f = fetcher();
    expect(await f.fetch(`${server.url}/good.jpg`)).toEqual(server.jpeg);
    expect(await f.fetch(`${server.url}/good.png`)).toEqual(server.png);
  });

  it.each([
    ["/missing", "http_404", 1],
    ["/forbidden", "http_4xx", 1],
    ["/too-many", "http_4xx", 3],
    ["/always-500", "http_5xx", 3],
    ["/truncated", "truncated", 3],
    ["/reset", "connection", 3],
    ["/html", "not_an_image", 1],
    ["/big", "too_large", 1],
    ["/big-chunked", "too_large", 1],
    ["/redirect/9", "too_many_redirects", 6],
  ])("%s fails with %s after %d request(s)", async (route, reason, requests) => {
    const f = fetcher();
    const error = await failure(f.fetch(`${server.url}${route}`));
    expect(error.reason).toBe(reason);
    expect(f.stats.requests).toBe(route === "/redirect/9" ? 1 : requests);
    // Server-side count includes every redirect hop.
    const hits = route.startsWith("/redirect") ? server.hits() : server.hits(route);
    expect(hits).toBe(requests);
  });

  it("retries a 500 and succeeds on the second attempt", async () => {
    const f = fetcher();
    expect(await f.fetch(`${server.url}/flaky/a`)).toEqual(server.jpeg);
    expect(server.hits("/flaky/a")).toBe(2);
  });

  it("times out waiting for headers, and for a stalled body, retrying each", async () => {
    const f = fetcher({ attempts: 2 });
    expect((await failure(f.fetch(`${server.url}/slow`))).reason).toBe("timeout");
    expect(server.hits("/slow")).toBe(2);
    expect((await failure(f.fetch(`${server.url}/slow-body`))).reason).toBe("timeout");
  });

  it("follows a few redirects", async () => {
    expect(await fetcher().fetch(`${server.url}/redirect/3`)).toEqual(server.jpeg);
  });

  it("trusts magic bytes, not the URL or Content-Type", async () => {
    expect(await fetcher().fetch(`${server.url}/image-no-ext`)).toEqual(server.jpeg);
  });

  it("maps DNS failures and refused connections", async () => {
    const nxdomain: HostLookup = async (host) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    };
    expect((await failure(fetcher({}, nxdomain).fetch("http://nowhere.test/a.jpg"))).reason).toBe("dns");

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const f = fetcher();
    expect((await failure(f.fetch(`http://127.0.0.1:${port}/a.jpg`))).reason).toBe("connection");
    expect(f.stats.requests).toBe(3);
  });

  it("stops with AbortedError, not an ImageFailure, when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = fetcher({ timeoutMs: 5_000 }).fetch(`${server.url}/slow`, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortedError" });
  });
});

describe("createImageFetcher cache", () => {
  it("downloads nothing twice across runs and does not cache failures", async () => {
    const cacheDir = path.join(dir, "cache");
    const urls = [`${server.url}/good.jpg`, `${server.url}/good.png`];
    const first = fetcher({ cacheDir });
    for (const url of urls) await first.fetch(url);
    expect(server.hits()).toBe(2);
    expect(existsSync(cachePath(cacheDir, urls[0]!))).toBe(true);

    server.resetHits();
    const second = fetcher({ cacheDir });
    expect(await second.fetch(urls[0]!)).toEqual(server.jpeg);
    expect(await second.fetch(urls[1]!)).toEqual(server.png);
    expect(server.hits()).toBe(0);
    expect(second.stats.cacheHits).toBe(2);

    await failure(second.fetch(`${server.url}/missing`));
    await failure(second.fetch(`${server.url}/missing`));
    expect(server.hits("/missing")).toBe(2);
  });
});

describe("createImageFetcher local files", () => {
  it("reads images and reports missing, oversized and non-image files", async () => {
    const good = path.join(dir, "good.jpg");
    const big = path.join(dir, "big.jpg");
    const html = path.join(dir, "page.jpg");
    await writeFile(good, server.jpeg);
    await writeFile(big, Buffer.concat([server.jpeg, Buffer.alloc(100 * 1024)]));
    await writeFile(html, "<html></html>");
    const f = fetcher();
    expect(await f.fetch(good)).toEqual(server.jpeg);
    expect((await failure(f.fetch(path.join(dir, "nope.jpg")))).reason).toBe("not_found");
    expect((await failure(f.fetch(dir))).reason).toBe("not_found");
    expect((await failure(f.fetch(big))).reason).toBe("too_large");
    expect((await failure(f.fetch(html))).reason).toBe("not_an_image");
    expect((await failure(f.fetch("file:///etc/passwd"))).reason).toBe("blocked_address");
  });
});

describe("createImageFetcher SSRF guard", () => {
  const port = (): string => new URL(server.url).port;
  const fixed =
    (answers: Record<string, string[]>, calls: string[] = []): HostLookup =>
    async (host) => {
      calls.push(host);
      const addresses = answers[host];
      if (!addresses) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: "ENOTFOUND" });
      return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    };

  it("refuses loopback without sending a request", async () => {
    const f = fetcher({ blockPrivate: true });
    expect((await failure(f.fetch(`${server.url}/good.jpg`))).reason).toBe("blocked_address");
    expect((await failure(f.fetch(`http://[::ffff:127.0.0.1]:${port()}/good.jpg`))).reason).toBe(
      "blocked_address",
    );
    expect(server.hits()).toBe(0);
  });

  it("refuses a host whose DNS answers include a private address", async () => {
    const lookup = fixed({ "evil.test": ["93.184.216.34", "127.0.0.1"], "meta.test": ["169.254.169.254"] });
    const f = fetcher({ blockPrivate: true }, lookup);
    expect((await failure(f.fetch(`http://evil.test:${port()}/good.jpg`))).reason).toBe("blocked_address");
    expect((await failure(f.fetch("http://meta.test/latest/meta-data/"))).reason).toBe("blocked_address");
    expect(server.hits()).toBe(0);
  });

  it("connects to the checked address only, and checks every redirect hop", async () => {
    // images.test is allowed by name and resolves (only through our lookup) to the test server.
    const calls: string[] = [];
    const lookup = fixed({ "images.test": ["127.0.0.1"] }, calls);
    const f = fetcher({ blockPrivate: true, allowHosts: ["images.test"] }, lookup);
    expect(await f.fetch(`http://images.test:${port()}/good.jpg`)).toEqual(server.jpeg);
    expect(calls).toEqual(["images.test"]);
    const error = await failure(f.fetch(`http://images.test:${port()}/redirect-loopback`));
    expect(error.reason).toBe("blocked_address");
    expect(server.hits("/good.jpg")).toBe(1);
  });

  it("pins the connection so a second DNS answer (rebinding) is never used", async () => {
    let answers = 0;
    const rebinding: HostLookup = async () => {
      answers += 1;
      // First answer passes the check; any later lookup would point somewhere unroutable.
      return [{ address: answers === 1 ? "127.0.0.1" : "10.255.255.1", family: 4 }];
    };
    const f = fetcher({ blockPrivate: true, allowCidrs: ["127.0.0.1/32"] }, rebinding);
    expect(await f.fetch(`http://rebind.test:${port()}/good.jpg`)).toEqual(server.jpeg);
    expect(answers).toBe(1);
  });

  it("allows private ranges listed in allowCidrs", async () => {
    const f = fetcher({ blockPrivate: true, allowCidrs: ["127.0.0.0/8"] });
    expect(await f.fetch(`${server.url}/redirect-loopback`)).toEqual(server.jpeg);
  });
});
