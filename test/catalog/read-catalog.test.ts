import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Artwork, CatalogIssue } from "../../src/catalog/artwork.js";
import { type CatalogEntry, readCatalog } from "../../src/catalog/read-catalog.js";
import { MosaicError, UsageError } from "../../src/errors.js";
import { collect } from "../helpers/collect.js";
import { startTestServer, type TestServer } from "../helpers/http-server.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const artworks = (entries: CatalogEntry[]): Artwork[] =>
  entries.flatMap((e) => (e.kind === "artwork" ? [e.artwork] : []));
const issues = (entries: CatalogEntry[]): CatalogIssue[] =>
  entries.flatMap((e) => (e.kind === "issue" ? [e.issue] : []));

const TSV_HEADER =
  "id\tTitle\tArtist\tThumbnail_Url\tImage_Url\tCulture\tClassification\tMuseum_Page\tMuseum";
const tsvRow = (...cells: string[]): string => cells.join("\t");

let dir: string;
let cleanup: () => Promise<void>;
let server: TestServer;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

describe("readCatalog: original MosAIc TSV schema (defaults)", () => {
  it("maps columns, falls back between image columns and reports bad rows", async () => {
    const file = await write(
      "met.tsv",
      [
        TSV_HEADER,
        tsvRow(
          "1",
          "Wave",
          "Hokusai",
          "https://img/1t.jpg",
          "https://img/1.jpg",
          "Japanese",
          "Prints",
          "https://m/1",
          "Met",
        ),
        tsvRow("2", "Vase", "", "", "https://img/2.jpg", "Greek", "Vases", "https://m/2", "Met"),
        tsvRow("", "No id", "", "https://img/x.jpg", "", "", "", "", "Met"),
        tsvRow("1", "Dup", "", "https://img/d.jpg", "", "", "", "", "Met"),
        tsvRow("4", "No image", "", "", "", "", "", "", "Met"),
        tsvRow("5", "Too", "few"),
        tsvRow("6", "Local", "", "thumbs/6.jpg", "", "French", "Paintings", "", "Met"),
        tsvRow("7", "Bad scheme", "", "file:///etc/passwd", "", "", "", "", "Met"),
      ].join("\n"),
    );
    const entries = await collect(readCatalog(file));
    expect(artworks(entries)).toEqual([
      {
        id: "1",
        row: 1,
        line: 2,
        image: "https://img/1t.jpg",
        facets: { culture: "Japanese", classification: "Prints" },
        meta: {
          Title: "Wave",
          Artist: "Hokusai",
          Thumbnail_Url: "https://img/1t.jpg",
          Image_Url: "https://img/1.jpg",
          Museum_Page: "https://m/1",
          Museum: "Met",
        },
      },
      expect.objectContaining({ id: "2", row: 2, image: "https://img/2.jpg" }),
      expect.objectContaining({ id: "6", row: 7, image: path.join(dir, "thumbs/6.jpg") }),
    ]);
    expect(issues(entries).map((i) => [i.row, i.reason, i.id])).toEqual([
      [3, "missing_id", undefined],
      [4, "duplicate_id", "1"],
      [5, "missing_image", "4"],
      [6, "malformed_row", undefined],
      [8, "missing_image", "7"],
    ]);
    expect(issues(entries)[4]?.message).toContain("unsupported scheme file:");
    // Entries come in row order.
    const rows = entries.map((e) => (e.kind === "artwork" ? e.artwork.row : e.issue.row));
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
  });

  it("sniffs tabs in a .txt catalog", async () => {
    const file = await write(
      "met.txt",
      `${TSV_HEADER}\n${tsvRow("1", "t", "a", "x.jpg", "", "c", "k", "", "")}\n`,
    );
    expect(artworks(await collect(readCatalog(file)))).toHaveLength(1);
  });
});

describe("readCatalog: CSV with a custom mapping", () => {
  const options = {
    imageColumns: ["image"],
    facets: { culture: "department", classification: "classification" },
  };

  it("matches headers case-insensitively and keeps the rest as meta", async () => {
    const file = await write(
      "aic.csv",
      'ID,Title,Image,Department,Classification\naic-1,"Portrait, with comma",images/a.jpg,Prints,engraving\n' +
        'aic-2,"bad "quote,images/b.jpg,Prints,engraving\naic-3,ok,images/c.jpg,Prints,etching\n',
    );
    const entries = await collect(readCatalog(file, options));
    expect(artworks(entries)).toEqual([
      {
        id: "aic-1",
        row: 1,
        line: 2,
        image: path.join(dir, "images/a.jpg"),
        facets: { culture: "Prints", classification: "engraving" },
        meta: { Title: "Portrait, with comma", Image: "images/a.jpg" },
      },
      expect.objectContaining({ id: "aic-3", row: 3 }),
    ]);
    expect(issues(entries)).toEqual([expect.objectContaining({ row: 2, reason: "malformed_row" })]);
  });

  it("reads the aic-sample style catalog over HTTP and resolves images against its URL", async () => {
    server.serve(
      "/cat/aic.csv",
      "id,title,image,department,classification\naic-9,t,images/aic_9.jpg,Prints,x\n",
    );
    const entries = await collect(readCatalog(`${server.url}/cat/aic.csv`, options));
    expect(artworks(entries)[0]?.image).toBe(`${server.url}/cat/images/aic_9.jpg`);
  });

  it("sniffs commas in an unknown extension", async () => {
    server.serve("/export?format=raw", "id,title,image,department,classification\n1,t,i.jpg,d,c\n");
    const entries = await collect(readCatalog(`${server.url}/export?format=raw`, options));
    expect(artworks(entries)).toHaveLength(1);
  });
});

describe("readCatalog: JSONL", () => {
  it("reads objects, stringifies values and reports lines that are not objects", async () => {
    const file = await write(
      "c.jsonl",
      [
        JSON.stringify({ ID: 1, image_url: "https://img/1.jpg", Culture: "Dutch", year: 1650, tags: ["a"] }),
        "",
        "{not json",
        "[1,2]",
        JSON.stringify({ id: "2", thumbnail_url: "two.png", culture: null }),
      ].join("\n"),
    );
    const entries = await collect(readCatalog(file));
    expect(artworks(entries)).toEqual([
      {
        id: "1",
        row: 1,
        line: 1,
        image: "https://img/1.jpg",
        facets: { culture: "Dutch", classification: "" },
        meta: { image_url: "https://img/1.jpg", year: "1650", tags: '["a"]' },
      },
      expect.objectContaining({
        id: "2",
        row: 4,
        image: path.join(dir, "two.png"),
        facets: expect.anything(),
      }),
    ]);
    expect(issues(entries).map((i) => [i.row, i.reason])).toEqual([
      [2, "malformed_row"],
      [3, "malformed_row"],
    ]);
  });
});

describe("readCatalog: errors that stop the run", () => {
  it("says when the catalog does not exist", async () => {
    const read = collect(readCatalog(path.join(dir, "nope.tsv")));
    await expect(read).rejects.toBeInstanceOf(MosaicError);
    await expect(read).rejects.toHaveProperty("hint", expect.stringContaining("catalog"));
  });

  it("says when the header has no id column, listing the columns it has", async () => {
    const file = await write("noid.csv", "key,image\n1,a.jpg\n");
    const read = collect(readCatalog(file, { imageColumns: ["image"], facets: {} }));
    await expect(read).rejects.toBeInstanceOf(UsageError);
    await expect(read).rejects.toThrow(/no id column "id".*key, image/);
  });

  it("says when an explicitly mapped facet column is absent", async () => {
    const file = await write("nofacet.csv", "id,image\n1,a.jpg\n");
    await expect(
      collect(readCatalog(file, { imageColumns: ["image"], facets: { era: "Era" } })),
    ).rejects.toThrow(/facet\(s\) era/);
  });

  it("says when an HTTP catalog is missing", async () => {
    await expect(collect(readCatalog(`${server.url}/missing`, { format: "csv" }))).rejects.toThrow(
      /HTTP 404/,
    );
  });

  it("rejects an impossible shard", async () => {
    await expect(collect(readCatalog("x.csv", { shard: { index: 2, count: 2 } }))).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});

describe("readCatalog: limit and shards", () => {
  let file: string;
  beforeAll(async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `${i % 7 === 0 ? "" : `id-${i}`},img/${i}.jpg,c,k`);
    file = await write("many.csv", `id,Thumbnail_Url,Culture,Classification\n${rows.join("\n")}\n`);
  });

  it("stops after `limit` artworks", async () => {
    const entries = await collect(readCatalog(file, { limit: 10 }));
    expect(artworks(entries)).toHaveLength(10);
    expect(artworks(entries).at(-1)?.id).toBe("id-11");
  });

  it("splits rows into disjoint shards whose union is everything", async () => {
    const all = await collect(readCatalog(file));
    const shards = await Promise.all(
      [0, 1, 2].map((index) => collect(readCatalog(file, { shard: { index, count: 3 } }))),
    );
    const ids = shards.map((s) => artworks(s).map((a) => a.id));
    expect(ids.flat().sort()).toEqual(
      artworks(all)
        .map((a) => a.id)
        .sort(),
    );
    expect(new Set(ids.flat()).size).toBe(ids.flat().length);
    expect(ids.every((s) => s.length > 50)).toBe(true);
    // Rows without an id are reported once, by shard 0.
    expect(shards.map((s) => issues(s).length)).toEqual([issues(all).length, 0, 0]);
    // Same input, same split.
    const again = artworks(await collect(readCatalog(file, { shard: { index: 1, count: 3 } }))).map(
      (a) => a.id,
    );
    expect(again).toEqual(ids[1]);
  });
});
