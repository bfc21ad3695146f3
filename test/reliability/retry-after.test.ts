import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../src/images/http-get.js";
import { createImageFetcher } from "../../src/images/image-fetcher.js";
import { makeTestImages } from "../helpers/http-server.js";

// Defect J10: a 429 with `Retry-After: 5` was retried after 438 ms. The waits are recorded by a fake
// sleep, so the test asserts what the fetcher asked for, never the wall clock.

let server: Server;
let base = "";
const hits = new Map<string, number>();
beforeAll(async () => {
  const { jpeg } = await makeTestImages();
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    const seen = (hits.get(path) ?? 0) + 1;
    hits.set(path, seen);
    const retryAfter = new URL(path, "http://x").searchParams.get("after") ?? "";
    if (seen === 1) {
      res.writeHead(path.startsWith("/busy") ? 503 : 429, { "retry-after": retryAfter }).end("slow down");
      return;
    }
    res.writeHead(200, { "content-type": "image/jpeg" }).end(jpeg);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function fetcherRecordingWaits(maxRetryAfterMs?: number) {
  const waits: number[] = [];
  const fetcher = createImageFetcher(
    {
      backoffMs: 10,
      maxBackoffMs: 20,
      allowHosts: ["127.0.0.1"],
      ...(maxRetryAfterMs ? { maxRetryAfterMs } : {}),
    },
    { sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
  );
  return { fetcher, waits };
}

describe("Retry-After is honoured, capped", () => {
  it("waits the seconds a 429 asks for before retrying", async () => {
    const { fetcher, waits } = fetcherRecordingWaits();
    const image = await fetcher.fetch(`${base}/rate-limited?after=5`);
    expect(image.byteLength).toBeGreaterThan(0);
    expect(waits).toEqual([5000]);
    fetcher.close();
  });

  it("reads an HTTP-date on a 503 and caps a wait that is too long", async () => {
    const { fetcher, waits } = fetcherRecordingWaits(2000);
    await fetcher.fetch(
      `${base}/busy?after=${encodeURIComponent(new Date(Date.now() + 3_600_000).toUTCString())}`,
    );
    expect(waits).toEqual([2000]);
    fetcher.close();
  });

  it("parses both header forms and ignores garbage", () => {
    expect(parseRetryAfter("7")).toBe(7000);
    expect(
      parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:50 GMT")),
    ).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
