import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveImageRef } from "./resolve-image-ref.js";

describe("resolveImageRef", () => {
  const dir = { kind: "dir", dir: "/data/catalog" } as const;
  const url = { kind: "url", url: "https://example.org/cat/catalog.csv" } as const;

  it("keeps http(s) URLs as they are", () => {
    expect(resolveImageRef("HTTPS://img.example.org/a.jpg?x=1", dir)).toEqual({
      ok: true,
      image: "HTTPS://img.example.org/a.jpg?x=1",
    });
  });

  it("resolves relative paths against the catalog directory or URL", () => {
    expect(resolveImageRef("images/a.jpg", dir)).toEqual({
      ok: true,
      image: path.resolve("/data/catalog/images/a.jpg"),
    });
    expect(resolveImageRef("/abs/a.jpg", dir)).toEqual({ ok: true, image: "/abs/a.jpg" });
    expect(resolveImageRef("images/a.jpg", url)).toEqual({
      ok: true,
      image: "https://example.org/cat/images/a.jpg",
    });
  });

  it("refuses other schemes", () => {
    for (const ref of [
      "file:///etc/passwd",
      "javascript:alert(1)",
      "data:image/png;base64,AA",
      "ftp://x/y.jpg",
    ]) {
      expect(resolveImageRef(ref, dir).ok).toBe(false);
    }
  });
});
