import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageFailure } from "../../src/images/failure.js";
import { createImageFetcher } from "../../src/images/image-fetcher.js";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { startTestServer, type TestServer } from "../helpers/http-server.js";
import { makeApp } from "./app-harness.js";
import { makeIndex } from "./fixtures.js";

describe("GET /v1/artworks/:id/image", () => {
  let index: VectorIndex;
  let cleanup: () => Promise<void>;
  let big: Buffer;

  beforeAll(async () => {
    ({ index, cleanup } = await makeIndex());
    big = await sharp({ create: { width: 800, height: 400, channels: 4, background: "#3366cc80" } })
      .png()
      .toBuffer();
  });
  afterAll(() => cleanup());

  /** Serves `big` for every catalog ref; counts reads so the cache is visible. */
  const catalog = () => {
    const reads: string[] = [];
    return {
      reads,
      readCatalogImage: async (ref: string) => {
        reads.push(ref);
        if (ref.endsWith("/a5.jpg")) throw new ImageFailure("http_404", "HTTP 404 from img.example.org");
        return big;
      },
    };
  };

  it("answers a JPEG no larger than size, cached, with ETag / Cache-Control and 304 on a match", async () => {
    const source = catalog();
    const { app } = await makeApp(index, {}, { readCatalogImage: source.readCatalogImage });
    const res = await app.inject({ url: "/v1/artworks/a1/image?size=128" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("image/jpeg");
    expect(res.headers["cache-control"]).toBe("public, max-age=86400");
    const meta = await sharp(res.rawPayload).metadata();
    expect(meta.format).toBe("jpeg");
    expect([meta.width, meta.height]).toEqual([128, 64]);
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);

    const again = await app.inject({ url: "/v1/artworks/a1/image?size=128" });
    expect(again.rawPayload.equals(res.rawPayload)).toBe(true);
    const revalidate = await app.inject({
      url: "/v1/artworks/a1/image?size=128",
      headers: { "if-none-match": etag },
    });
    expect(revalidate.statusCode).toBe(304);
    expect(revalidate.rawPayload.length).toBe(0);
    expect(source.reads).toEqual(["https://img.example.org/a1.jpg"]);

    const fullSize = await app.inject({ url: "/v1/artworks/a1/image" });
    expect((await sharp(fullSize.rawPayload).metadata()).width).toBe(256);
    expect(source.reads).toHaveLength(2);
    await app.close();
  });

  it("never enlarges a small image", async () => {
    const { app } = await makeApp(index, {}, { readCatalogImage: async () => big });
    const res = await app.inject({ url: "/v1/artworks/a2/image?size=1024" });
    expect((await sharp(res.rawPayload).metadata()).width).toBe(800);
    await app.close();
  });

  it("404 for an unknown id, 400 for a size out of range, 502 when the catalog image is gone", async () => {
    const { app } = await makeApp(index, {}, { readCatalogImage: catalog().readCatalogImage });
    const unknown = await app.inject({ url: "/v1/artworks/nope/image" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: "not_found" });
    for (const size of ["0", "15", "1025", "abc", "12.5", "-3", "99999999"]) {
      const bad = await app.inject({ url: `/v1/artworks/a1/image?size=${size}` });
      expect(bad.statusCode, size).toBe(400);
      expect(bad.json().error).toMatch(/size must be a whole number of pixels from 16 to 1024/);
    }
    const gone = await app.inject({ url: "/v1/artworks/a5/image" });
    expect(gone.statusCode).toBe(502);
    expect(gone.json()).toMatchObject({ code: "image_unavailable" });
    expect(gone.json().error).toContain("HTTP 404");
    await app.close();
  });

  it("a catalog entry that is not an image is 502, not a crash", async () => {
    const { app } = await makeApp(index, {}, { readCatalogImage: async () => Buffer.from("<html>") });
    const res = await app.inject({ url: "/v1/artworks/a1/image" });
    expect(res.statusCode).toBe(502);
    expect(res.json().error).toMatch(/cannot make a thumbnail/);
    await app.close();
  });

  it("is behind the API key, and private to the key holder's browser", async () => {
    const { app } = await makeApp(index, {}, { readCatalogImage: async () => big, apiKey: "k-123456789" });
    expect((await app.inject({ url: "/v1/artworks/a1/image" })).statusCode).toBe(401);
    const ok = await app.inject({ url: "/v1/artworks/a1/image", headers: { "x-api-key": "k-123456789" } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers["cache-control"]).toBe("private, max-age=86400");
    await app.close();
  });

  describe("with the real fetcher (the SSRF guard on)", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(() => server.close());

    it("refuses a catalog image on a private address without connecting to it", async () => {
      const local = {
        ...index,
        recordById: () => ({ ...index.records[0]!, image: `${server.url}/good.jpg` }),
      };
      const fetcher = createImageFetcher({ blockPrivate: true, attempts: 1 });
      const { app } = await makeApp(local, {}, { readCatalogImage: (ref, s) => fetcher.fetch(ref, s) });
      const res = await app.inject({ url: "/v1/artworks/a1/image" });
      expect(res.statusCode).toBe(502);
      expect(res.json().error).toMatch(/non-public address 127\.0\.0\.1/);
      expect(server.hits()).toBe(0);
      fetcher.close();
      await app.close();
    });

    it("reads it when the operator allows that range", async () => {
      const local = {
        ...index,
        recordById: () => ({ ...index.records[0]!, image: `${server.url}/good.jpg` }),
      };
      const fetcher = createImageFetcher({ blockPrivate: true, allowCidrs: ["127.0.0.0/8"], attempts: 1 });
      const { app } = await makeApp(local, {}, { readCatalogImage: (ref, s) => fetcher.fetch(ref, s) });
      const res = await app.inject({ url: "/v1/artworks/a1/image?size=16" });
      expect(res.statusCode).toBe(200);
      expect((await sharp(res.rawPayload).metadata()).width).toBe(16);
      fetcher.close();
      await app.close();
    });
  });
});

describe("GET /v1/facets and /v1/artworks", () => {
  let index: VectorIndex;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ index, cleanup } = await makeIndex());
  });
  afterAll(() => cleanup());

  it("lists facet values with counts, most common first, and pages through artworks", async () => {
    const { app } = await makeApp(index, {});
    const facets = (await app.inject({ url: "/v1/facets" })).json();
    expect(facets.artworks).toBe(5);
    expect(facets.facets.culture).toEqual([
      { value: "Dutch", count: 2 },
      { value: "French", count: 1 },
      { value: "Japanese", count: 1 },
    ]);
    const page = (await app.inject({ url: "/v1/artworks?offset=3&limit=5" })).json();
    expect(page).toMatchObject({ total: 5, offset: 3 });
    expect(page.artworks.map((a: { id: string }) => a.id)).toEqual(["a4", "a5"]);
    expect((await app.inject({ url: "/v1/artworks?limit=101" })).statusCode).toBe(400);
    expect((await app.inject({ url: "/v1/artworks?offset=-1" })).statusCode).toBe(400);
    await app.close();
  });

  it("pages through only the artworks a filter admits (AND across fields, OR within)", async () => {
    const { app } = await makeApp(index, {});
    const ids = (url: string) => app.inject({ url }).then((r) => r.json());
    const dutch = await ids("/v1/artworks?filter=culture=Dutch");
    expect(dutch.total).toBe(2);
    expect(dutch.artworks.map((a: { id: string }) => a.id)).toEqual(["a1", "a4"]);
    const either = await ids(
      "/v1/artworks?filter=culture=Dutch,Japanese&filter=classification=print&offset=0",
    );
    expect(either.total).toBe(1);
    expect(either.artworks.map((a: { id: string }) => a.id)).toEqual(["a3"]);
    const second = await ids("/v1/artworks?filter=culture=Dutch&offset=1&limit=1");
    expect(second.artworks.map((a: { id: string }) => a.id)).toEqual(["a4"]);
    const unknown = await app.inject({ url: "/v1/artworks?filter=colour=red" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toContain("Unknown filter field");
    await app.close();
  });
});
