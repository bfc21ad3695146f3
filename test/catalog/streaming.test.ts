import { createWriteStream } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogSource } from "../../src/catalog/catalog-source.js";
import { readCatalog } from "../../src/catalog/read-catalog.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const ROWS = 200_000;
const row = (i: number): string =>
  `${i}\tTitle ${i}\tArtist ${i % 977}\thttps://img.example.org/t/${i}.jpg\thttps://img.example.org/${i}.jpg\t` +
  `Culture ${i % 31}\tClass ${i % 17}\thttps://museum.example.org/${i}\tMuseum\n`;

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterAll(() => cleanup());

describe("readCatalog streams", () => {
  it(`reads a generated ${ROWS}-row TSV row by row`, async () => {
    const file = path.join(dir, "big.tsv");
    const out = createWriteStream(file);
    out.write("id\tTitle\tArtist\tThumbnail_Url\tImage_Url\tCulture\tClassification\tMuseum_Page\tMuseum\n");
    for (let i = 0; i < ROWS; i += 1)
      if (!out.write(row(i))) {
        await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      }
    out.end();
    await finished(out);

    let count = 0;
    let issues = 0;
    for await (const entry of readCatalog(file)) {
      if (entry.kind === "artwork") count += 1;
      else issues += 1;
    }
    expect(count).toBe(ROWS);
    expect(issues).toBe(0);
  });

  it("finishes on an endless catalog when a limit is set, and closes the source", async () => {
    let produced = 0;
    let closed = false;
    async function* endless(): AsyncGenerator<string> {
      try {
        yield "id,Thumbnail_Url\n";
        for (let i = 0; ; i += 1) {
          produced += 1;
          yield `${i},https://img.example.org/${i}.jpg\n`;
        }
      } finally {
        closed = true;
      }
    }
    const source: CatalogSource = {
      canOpen: () => true,
      open: async () => ({
        stream: Readable.from(endless()),
        base: { kind: "url", url: "https://x.example.org/" },
      }),
    };
    let count = 0;
    for await (const entry of readCatalog("endless.csv", { limit: 5000 }, { sources: [source] })) {
      if (entry.kind === "artwork") count += 1;
    }
    expect(count).toBe(5000);
    // Only a bounded read-ahead beyond the limit was pulled from the source.
    expect(produced).toBeLessThan(5000 + 100_000);
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(true);
  });
});
