import type { ResultsJson } from "../../src/query/format-results.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { makeTestImages } from "../helpers/http-server.js";
import { type Harness, makeApp, multipartBody } from "./app-harness.js";
import { makeIndex } from "./fixtures.js";

const JPEG_URL = "https://img.example.org/query.jpg";

describe("v1 API", () => {
  let index: VectorIndex;
  let cleanup: () => Promise<void>;
  let h: Harness;
  let jpeg: Buffer;
  let png: Buffer;

  beforeAll(async () => {
    ({ index, cleanup } = await makeIndex());
    ({ jpeg, png } = await makeTestImages());
    h = await makeApp(index, { [JPEG_URL]: jpeg }, { limits: { maxImageBytes: 64 * 1024, maxN: 50 } });
  });
  afterAll(async () => {
    await h.app.close();
    await cleanup();
  });

  const ids = (body: ResultsJson) => body.results.map((r) => r.id);

  it("POST /v1/search {url, n, filter} answers the `mosaic query --json` shape", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/search",
      payload: { url: JPEG_URL, n: 2, filter: { classification: ["print", "painting"] } },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as ResultsJson;
    expect(body.matches).toBe(4);
    expect(ids(body)).toEqual(["a1", "a2"]);
    expect(body.results[0]).toMatchObject({
      rank: 1,
      id: "a1",
      image: "https://img.example.org/a1.jpg",
      facets: { culture: "Dutch", classification: "painting" },
      meta: { Title: "Still Life" },
    });
  });

  it("a filter value may be a string; fields AND together", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/search",
      payload: { url: JPEG_URL, filter: { culture: "Dutch", classification: "vase" } },
    });
    expect(ids(res.json() as ResultsJson)).toEqual(["a4"]);
  });

  it("{id} is more like this: no fetch, no model call, the artwork itself left out", async () => {
    const before = h.embedder.batches.length;
    const fetched = h.fetched.length;
    const res = await h.app.inject({ method: "POST", url: "/v1/search", payload: { id: "a1", n: 2 } });
    expect(res.statusCode).toBe(200);
    expect(ids(res.json() as ResultsJson)).toEqual(["a2", "a3"]);
    expect(h.embedder.batches.length).toBe(before);
    expect(h.fetched.length).toBe(fetched);
  });

  it("accepts a multipart upload (field image) with n and filter fields", async () => {
    const { payload, headers } = multipartBody([
      { name: "n", value: "1" },
      { name: "filter", value: "culture=Dutch" },
      { name: "image", value: png, filename: "q.png", type: "image/png" },
    ]);
    const res = await h.app.inject({ method: "POST", url: "/v1/search", payload, headers });
    expect(res.statusCode).toBe(200);
    expect(ids(res.json() as ResultsJson)).toEqual(["a4"]);
  });

  it("accepts a raw image body, with n and filter in the query string", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/search?n=5&filter=classification=print",
      payload: jpeg,
      headers: { "content-type": "image/jpeg" },
    });
    expect(res.statusCode).toBe(200);
    expect(ids(res.json() as ResultsJson)).toEqual(["a2", "a3"]);
  });

  it.each([
    ["url and id together", { url: JPEG_URL, id: "a1" }, /exactly one/],
    ["neither url nor id", { n: 3 }, /exactly one/],
    ["an unknown field", { url: JPEG_URL, limit: 3 }, /Unrecognized key/],
    ["an unknown id", { id: "nope" }, /No artwork with id "nope"/],
    ["an unknown facet", { url: JPEG_URL, filter: { century: "19th" } }, /Unknown filter field "century"/],
    ["a malformed filter", { url: JPEG_URL, filter: { culture: 3 } }, /Invalid filter/],
    ["n above the limit", { id: "a1", n: 51 }, /from 1 to 50/],
    ["n zero", { id: "a1", n: 0 }, /from 1 to 50/],
    ["a javascript: URL", { url: "javascript:alert(1)" }, /http or https/],
  ])("400 {error, code} for %s", async (_name, payload, message) => {
    const res = await h.app.inject({ method: "POST", url: "/v1/search", payload });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: string; code: string };
    expect(body.error).toMatch(message);
    expect(typeof body.code).toBe("string");
  });

  it("400 for uploads that are not images, and for multipart without an image field", async () => {
    const raw = await h.app.inject({
      method: "POST",
      url: "/v1/search",
      payload: Buffer.from("<html>not an image</html>"),
      headers: { "content-type": "image/jpeg" },
    });
    expect(raw.statusCode).toBe(400);
    expect(raw.json()).toMatchObject({ code: "not_an_image" });
    const noImage = multipartBody([{ name: "n", value: "3" }]);
    const multi = await h.app.inject({ method: "POST", url: "/v1/search", ...noImage });
    expect(multi.statusCode).toBe(400);
    expect((multi.json() as { error: string }).error).toMatch(/no file field "image"/);
  });

  it("400 for prototype-polluting field names, in JSON and in the query string", async () => {
    const json = await h.app.inject({
      method: "POST",
      url: "/v1/search",
      payload: '{"id": "a1", "filter": {"__proto__": {"culture": "x"}}}',
      headers: { "content-type": "application/json" },
    });
    expect(json.statusCode).toBe(400);
    const query = await h.app.inject({
      method: "POST",
      url: "/v1/search?filter=__proto__=x",
      payload: jpeg,
      headers: { "content-type": "image/jpeg" },
    });
    expect(query.statusCode).toBe(400);
  });

  it("400 for a truncated multipart body", async () => {
    const { payload, headers } = multipartBody([
      { name: "image", value: jpeg, filename: "q.jpg", type: "image/jpeg" },
    ]);
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/search",
      payload: payload.subarray(0, 80),
      headers,
    });
    expect(res.statusCode).toBe(400);
  });

  it("413 for images over the cap (raw and multipart) and JSON over the body limit", async () => {
    const big = Buffer.concat([jpeg, Buffer.alloc(100 * 1024)]);
    const raw = await h.app.inject({
      method: "POST",
      url: "/v1/search",
      payload: big,
      headers: { "content-type": "image/jpeg" },
    });
    expect(raw.statusCode).toBe(413);
    const multi = await h.app.inject({
      method: "POST",
      url: "/v1/search",
      ...multipartBody([{ name: "image", value: big, filename: "big.jpg", type: "image/jpeg" }]),
    });
    expect(multi.statusCode).toBe(413);
    const json = await h.app.inject({
      method: "POST",
      url: "/v1/search",
      payload: JSON.stringify({ id: "a1", pad: "x".repeat(100 * 1024) }),
      headers: { "content-type": "application/json" },
    });
    expect(json.statusCode).toBe(413);
  });

  it("415 for a body type it does not take", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/search",
      payload: "x",
      headers: { "content-type": "application/xml" },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toHaveProperty("error");
  });

  it("GET /v1/artworks/:id returns the record, 404 for an unknown one", async () => {
    const res = await h.app.inject({ method: "GET", url: "/v1/artworks/a3" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: "a3",
      image: "https://img.example.org/a3.jpg",
      facets: { culture: "Japanese", classification: "print" },
      meta: { Title: "Wave", Artist: "Artist of a3" },
    });
    const missing = await h.app.inject({ method: "GET", url: "/v1/artworks/zzz" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: expect.stringContaining("zzz") });
  });

  it("unknown routes are 404 JSON", async () => {
    const res = await h.app.inject({ method: "GET", url: "/v2/nothing" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: "not_found" });
  });
});
