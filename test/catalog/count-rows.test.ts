import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countCatalogRows } from "../../src/catalog/count-rows.js";
import { makeTempDir } from "../helpers/temp-dir.js";

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await makeTempDir("mosaic-count-rows-");
});
afterAll(() => tmp.cleanup());

describe("countCatalogRows (progress totals up front)", () => {
  it.each([
    ["a.csv", "id,Title\n1,a\n2,b\n", 2],
    ["b.csv", "id,Title\n1,a\n2,b", 2],
    ["c.tsv", "id\tTitle\r\n1\ta\r\n2\tb\r\n3\tc\r\n", 3],
    ["d.jsonl", '{"id":1}\n\n{"id":2}\n', 2],
    ["e.csv", "id,Title\n", 0],
    ["f.csv", "", 0],
  ])("%s → %i rows", async (name, text, rows) => {
    const file = path.join(tmp.dir, name);
    await writeFile(file, text);
    expect(await countCatalogRows(file, undefined)).toBe(rows);
  });

  it("a big file in many chunks, and a missing one", async () => {
    const file = path.join(tmp.dir, "big.tsv");
    await writeFile(file, `id\n${Array.from({ length: 200_000 }, (_, i) => `r${i}`).join("\n")}\n`);
    expect(await countCatalogRows(file, "tsv")).toBe(200_000);
    expect(await countCatalogRows(path.join(tmp.dir, "nope.csv"), undefined)).toBeUndefined();
  });
});
