import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { ImageFailure } from "../../src/images/failure.js";
import { apiKeyMatches } from "../../src/server/api-key-guard.js";
import { toHttpFailure } from "../../src/server/http-error.js";
import { createLabelResolver } from "../../src/server/legacy-label.js";
import { MetricsRegistry } from "../../src/server/metrics-registry.js";
import { OverloadedError } from "../../src/server/overloaded-error.js";
import { redact } from "../../src/redact.js";
import { filterFromPairs, parseImageUrl, parseJsonSearch, parseN } from "../../src/server/search-input.js";
import { makeIndex } from "./fixtures.js";

describe("redact", () => {
  it.each([
    [
      "https://a.blob.core.windows.net/c/x.jpg?sv=1&sig=abc%2Bdef%3D&se=2",
      "https://a.blob.core.windows.net/c/x.jpg?sv=1&sig=REDACTED&se=2",
    ],
    [
      "/?url=https%3A%2F%2Fh%2Fx.jpg%3Fsig%3Dabc%252B%26se%3D1&n=3",
      "/?url=https%3A%2F%2Fh%2Fx.jpg%3Fsig%3DREDACTED%26se%3D1&n=3",
    ],
    [
      "GET https://h/x?token=t0k&api_key=k3y failed",
      "GET https://h/x?token=REDACTED&api_key=REDACTED failed",
    ],
    ["/?designation=x&signature_style=y", "/?designation=x&signature_style=y"],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });
});

describe("apiKeyMatches", () => {
  it("matches only the exact key", () => {
    expect(apiKeyMatches("k", "k")).toBe(true);
    expect(apiKeyMatches("k ", "k")).toBe(false);
    expect(apiKeyMatches("", "k")).toBe(false);
    expect(apiKeyMatches(undefined, "k")).toBe(false);
    expect(apiKeyMatches("a-much-longer-guess", "k")).toBe(false);
  });
});

describe("toHttpFailure", () => {
  it("maps the error vocabulary to statuses", () => {
    expect(toHttpFailure(new UsageError("bad n"))).toMatchObject({ status: 400, message: "bad n" });
    expect(toHttpFailure(new ImageFailure("blocked_address", "x is private"))).toMatchObject({
      status: 400,
      code: "blocked_address",
    });
    expect(toHttpFailure(new OverloadedError("busy", 2))).toMatchObject({
      status: 503,
      headers: { "retry-after": "2" },
    });
    expect(
      toHttpFailure(
        Object.assign(new Error("too big"), { statusCode: 413, code: "FST_ERR_CTP_BODY_TOO_LARGE" }),
      ),
    ).toMatchObject({
      status: 413,
      code: "FST_ERR_CTP_BODY_TOO_LARGE",
    });
    expect(toHttpFailure(new TypeError("x is undefined"))).toMatchObject({
      status: 500,
      message: "Internal server error",
      internal: true,
    });
  });
});

describe("MetricsRegistry", () => {
  it("renders counters, gauges and cumulative histogram buckets in the text format", () => {
    const r = new MetricsRegistry();
    const c = r.counter("t_total", "A counter.");
    c.inc({ b: "2", a: 'q"uote' });
    c.inc({ b: "2", a: 'q"uote' }, 2);
    r.gauge("g", "A gauge.", () => 4);
    const h = r.histogram("h", "A histogram.", [1, 5]);
    h.observe(0.5);
    h.observe(3);
    h.observe(9);
    expect(r.render()).toBe(
      [
        "# HELP t_total A counter.",
        "# TYPE t_total counter",
        't_total{a="q\\"uote",b="2"} 3',
        "# HELP g A gauge.",
        "# TYPE g gauge",
        "g 4",
        "# HELP h A histogram.",
        "# TYPE h histogram",
        'h_bucket{le="1"} 1',
        'h_bucket{le="5"} 2',
        'h_bucket{le="+Inf"} 3',
        "h_sum 12.5",
        "h_count 3",
        "",
      ].join("\n"),
    );
    expect(() => r.counter("g", "again")).toThrow(/twice/);
  });
});

describe("createLabelResolver", () => {
  it("prefers culture, then classification; exact first, then ignoring case; unknown → no filter", async () => {
    const { index, cleanup } = await makeIndex();
    const resolve = createLabelResolver(index);
    expect(resolve("Dutch")).toEqual({ culture: ["Dutch"] });
    expect(resolve("dutch")).toEqual({ culture: ["Dutch"] });
    expect(resolve(" PRINT ")).toEqual({ classification: ["print"] });
    expect(resolve("cubist")).toBeUndefined();
    expect(resolve("")).toBeUndefined();
    expect(resolve(undefined)).toBeUndefined();
    await cleanup();
  });
});

describe("search input", () => {
  it("parseN takes numbers and digit strings in 1..max", () => {
    expect(parseN(undefined, 10)).toBe(10);
    expect(parseN("7", 10)).toBe(7);
    expect(() => parseN("7abc", 10)).toThrow(UsageError);
    expect(() => parseN(true, 10)).toThrow(UsageError);
    expect(() => parseN(Number.NaN, 10)).toThrow(UsageError);
    expect(() => parseN("99999999999999999999", 10)).toThrow(UsageError);
  });

  it("parseImageUrl allows only absolute http(s) URLs", () => {
    expect(parseImageUrl(" https://x.org/a b.jpg")).toBe("https://x.org/a%20b.jpg");
    for (const bad of [
      "",
      "x.jpg",
      "ftp://x/y",
      "data:image/png;base64,AAAA",
      42,
      `https://x.org/${"a".repeat(5000)}`,
    ]) {
      expect(() => parseImageUrl(bad)).toThrow(UsageError);
    }
  });

  it("parseJsonSearch rejects prototype tricks and wrong types", () => {
    expect(() => parseJsonSearch(JSON.parse('{"__proto__": {"x": 1}, "id": "a"}'), 10)).toThrow(UsageError);
    expect(() => parseJsonSearch(JSON.parse('{"id": "a", "filter": {"__proto__": "x"}}'), 10)).toThrow(
      UsageError,
    );
    expect(() => filterFromPairs(["__proto__=x"])).toThrow(UsageError);
    expect(filterFromPairs(["culture=a,b", "kind=c"])).toEqual({ culture: ["a", "b"], kind: ["c"] });
    expect(() => parseJsonSearch({ id: 5 }, 10)).toThrow(UsageError);
    expect(() => parseJsonSearch("a string", 10)).toThrow(UsageError);
    expect(parseJsonSearch({ id: "a1", filter: { culture: ["A", "B"], kind: "x" } }, 10)).toEqual({
      target: { id: "a1" },
      n: 10,
      filter: { culture: ["A", "B"], kind: ["x"] },
    });
  });
});
