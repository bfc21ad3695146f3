import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { makeTestImages } from "../helpers/http-server.js";
import { type Harness, makeApp } from "./app-harness.js";
import { makeIndex } from "./fixtures.js";

const JPEG_URL = "https://img.example.org/query.jpg";
const PNG_URL = "https://img.example.org/query.png";

describe("legacy API (the 2020 service's contract)", () => {
  let index: VectorIndex;
  let cleanup: () => Promise<void>;
  let h: Harness;

  beforeAll(async () => {
    ({ index, cleanup } = await makeIndex());
    const { jpeg, png } = await makeTestImages();
    h = await makeApp(index, {
      [JPEG_URL]: jpeg,
      [PNG_URL]: png,
      "https://img.example.org/text": Buffer.from("hello"),
    });
  });
  afterAll(async () => {
    await h.app.close();
    await cleanup();
  });

  const post = (payload: unknown, path = "/") =>
    h.app.inject({
      method: "POST",
      url: path,
      payload: payload as object,
      headers: { origin: "https://mosaic.example" },
    });

  it("POST {url, n} answers results: [[artwork, score], ...] by score descending, with CORS *", async () => {
    const res = await post({ url: JPEG_URL, n: 3 });
    expect(res.statusCode).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    const body = res.json() as { results: [Record<string, string>, number][] };
    expect(Object.keys(body)).toEqual(["results"]);
    expect(body.results.map(([meta]) => meta.id)).toEqual(["a1", "a2", "a3"]);
    const [first] = body.results;
    expect(first?.[0]).toEqual({
      id: "a1",
      Title: "Still Life",
      Artist: "Artist of a1",
      culture: "Dutch",
      classification: "painting",
    });
    expect(first?.[1]).toBeCloseTo(1, 5);
    const scores = body.results.map(([, s]) => s);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("also answers on /score, the original scoring path", async () => {
    const res = await post({ url: JPEG_URL, n: 1 }, "/score");
    expect(res.statusCode).toBe(200);
    expect((res.json() as { results: unknown[] }).results).toHaveLength(1);
  });

  it("a query label that is a classification filters by classification", async () => {
    const res = await post({ url: JPEG_URL, n: 10, query: "print" });
    const ids = (res.json() as { results: [{ id: string }, number][] }).results.map(([m]) => m.id);
    expect(ids).toEqual(["a2", "a3"]);
  });

  it("a query label that is a culture filters by culture, ignoring case like the original's labels", async () => {
    const res = await post({ url: JPEG_URL, n: 10, query: "dutch" });
    const ids = (res.json() as { results: [{ id: string }, number][] }).results.map(([m]) => m.id);
    expect(ids).toEqual(["a1", "a4"]);
  });

  it("an unknown or missing label searches everything; n may be a numeric string as int() allowed", async () => {
    for (const payload of [
      { url: JPEG_URL, n: "10", query: "no such facet value" },
      { url: JPEG_URL, n: 10 },
    ]) {
      const res = await post(payload);
      expect(res.statusCode).toBe(200);
      expect((res.json() as { results: unknown[] }).results).toHaveLength(5);
    }
  });

  it("accepts the JSON as text/plain (browsers sending a simple request without preflight)", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/",
      payload: JSON.stringify({ url: PNG_URL, n: 1 }),
      headers: { "content-type": "text/plain" },
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { results: [{ id: string }, number][] }).results[0]?.[0].id).toBe("a4");
  });

  it("GET ?url&n&culture / &classification returns the same shape", async () => {
    const url = encodeURIComponent(JPEG_URL);
    const byCulture = await h.app.inject({ method: "GET", url: `/?url=${url}&n=10&culture=Dutch` });
    expect(byCulture.statusCode).toBe(200);
    expect(byCulture.headers["access-control-allow-origin"]).toBe("*");
    expect((byCulture.json() as { results: [{ id: string }, number][] }).results.map(([m]) => m.id)).toEqual([
      "a1",
      "a4",
    ]);
    const byClass = await h.app.inject({ method: "GET", url: `/?url=${url}&n=1&classification=print` });
    expect((byClass.json() as { results: [{ id: string }, number][] }).results.map(([m]) => m.id)).toEqual([
      "a2",
    ]);
  });

  it.each([
    ["invalid JSON", "{not json", "text/plain", /not valid JSON/],
    ["a JSON array", "[1,2]", "application/json", /JSON object/],
    ["no url", JSON.stringify({ n: 3 }), "application/json", /url/],
    ["a file path as url", JSON.stringify({ url: "/etc/passwd" }), "application/json", /absolute URL/],
    ["a file: URL", JSON.stringify({ url: "file:///etc/passwd" }), "application/json", /http or https/],
    ["negative n", JSON.stringify({ url: JPEG_URL, n: -1 }), "application/json", /n must be/],
    ["huge n", JSON.stringify({ url: JPEG_URL, n: 1e12 }), "application/json", /n must be/],
    ["fractional n", JSON.stringify({ url: JPEG_URL, n: 2.5 }), "application/json", /n must be/],
    [
      "a non-string label",
      JSON.stringify({ url: JPEG_URL, query: { $ne: 1 } }),
      "application/json",
      /query must be/,
    ],
    [
      "an unreachable image",
      JSON.stringify({ url: "https://img.example.org/missing.jpg" }),
      "application/json",
      /Cannot fetch/,
    ],
    [
      "bytes that are not an image",
      JSON.stringify({ url: "https://img.example.org/text" }),
      "application/json",
      /Not an image/,
    ],
    ["invalid JSON (application/json)", "{", "application/json", /JSON/],
  ])("answers 400 {error} for %s", async (_name, payload, type, message) => {
    const res = await h.app.inject({ method: "POST", url: "/", payload, headers: { "content-type": type } });
    expect(res.statusCode).toBe(400);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    const body = res.json() as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error).toMatch(message);
  });

  it("GET without url is 400 {error}", async () => {
    const res = await h.app.inject({ method: "GET", url: "/?n=3" });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: expect.stringMatching(/url/) });
  });

  it("answers CORS preflight", async () => {
    const res = await h.app.inject({
      method: "OPTIONS",
      url: "/",
      headers: {
        origin: "https://x.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-api-key",
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(String(res.headers["access-control-allow-headers"])).toContain("x-api-key");
  });
});
