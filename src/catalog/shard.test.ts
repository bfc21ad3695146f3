import { describe, expect, it } from "vitest";
import { fnv1a32, inShard } from "./shard.js";

describe("shard", () => {
  it("uses 32-bit FNV-1a (published test vectors)", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("puts every id in exactly one shard", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
    for (const id of ids) {
      const owners = [0, 1, 2].filter((index) => inShard(id, { index, count: 3 }));
      expect(owners).toHaveLength(1);
    }
  });
});
