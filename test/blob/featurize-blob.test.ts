import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCatalog } from "../../src/catalog/read-catalog.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { DEV_KEY, withAzurite } from "./azurite.js";
import { ORIGINAL_COLUMNS } from "../../src/catalog/original-schema.js";

const sample = fileURLToPath(new URL("../../../shared/data/aic-sample/", import.meta.url));
const hasSample = existsSync(path.join(sample, "catalog.csv"));
const ROWS = 40;

interface Work {
  id: string;
  file: string;
  bytes: Buffer;
  cells: Record<string, string>;
}

/** The aic-sample's first rows when ../shared is there, else generated noise images. */
async function sampleWorks(count: number): Promise<Work[]> {
  const works: Work[] = [];
  if (hasSample) {
    const options = {
      imageColumns: ["image"],
      facets: { culture: "department", classification: "classification" },
    };
    for await (const entry of readCatalog(path.join(sample, "catalog.csv"), { ...options, limit: count })) {
      if (entry.kind !== "artwork") continue;
      const { id, image, facets, meta } = entry.artwork;
      works.push({
        id,
        file: path.basename(image),
        bytes: await readFile(image),
        cells: {
          Title: meta.title ?? "",
          Artist: meta.artist ?? "",
          Culture: facets.culture ?? "",
          Classification: facets.classification ?? "",
          Museum_Page: meta.museum_page ?? "",
          Museum: meta.museum ?? "",
        },
      });
    }
    return works;
  }
  console.log(`[blob] ${sample} not found; using generated images.`);
  for (let i = 0; i < count; i++) {
    const raw = Buffer.alloc(64 * 64 * 3);
    for (let p = 0; p < raw.length; p++) raw[p] = (Math.imul(p + 1, 2654435761 + i * 97) >>> 13) & 0xff;
    const bytes = await sharp(raw, { raw: { width: 64, height: 64, channels: 3 } })
      .jpeg()
      .toBuffer();
    const cells = {
      Title: `Noise ${i}`,
      Artist: "generator",
      Culture: i % 2 ? "A" : "B",
      Classification: i % 3 ? "print" : "textile",
      Museum_Page: "",
      Museum: "test",
    };
    works.push({ id: `gen-${i}`, file: `gen_${i}.jpg`, bytes, cells });
  }
  return works;
}

const tsvCell = (value: string) => value.replace(/[\t\r\n]+/g, " ");

describe("featurize from Blob to Blob, then query the Blob index (Azurite)", () => {
  const azurite = withAzurite();
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let container: ContainerClient;
  let works: Work[];
  let env: Record<string, string>;
  const deleted = 4;

  beforeAll(async () => {
    tmp = await makeTempDir("mosaic-blob-e2e-");
    env = {
      AZURE_STORAGE_CONNECTION_STRING: azurite.current.connectionString,
      MOSAIC_CACHE_DIR: path.join(tmp.dir, "cache"),
    };
    container = BlobServiceClient.fromConnectionString(azurite.current.connectionString).getContainerClient(
      "art",
    );
    await container.create();
    works = await sampleWorks(ROWS + 5);
    const lines = [ORIGINAL_COLUMNS.join("\t")];
    for (const [i, work] of works.entries()) {
      await container.getBlockBlobClient(`images/${work.file}`).uploadData(work.bytes);
      const url = `${azurite.current.endpoint}/art/images/${work.file}`;
      // Both spellings the original schema allows: a path relative to the catalog, and a full blob URL.
      const thumbnail = i % 2 === 0 ? `images/${work.file}` : url;
      const cells = { ...work.cells, id: work.id, Thumbnail_Url: thumbnail, Image_Url: url };
      lines.push(ORIGINAL_COLUMNS.map((h) => tsvCell(cells[h as keyof typeof cells] ?? "")).join("\t"));
    }
    await container.getBlockBlobClient("aic.tsv").uploadData(Buffer.from(`${lines.join("\n")}\n`));
    // Gone between cataloguing and featurizing: that row must be reported, the rest indexed.
    await container.getBlobClient(`images/${works[deleted]!.file}`).delete();
  });
  afterAll(async () => tmp?.cleanup());

  it("indexes the catalog's images, reports the deleted one, and publishes the index", async () => {
    const run = await runCliInProcess(
      [
        "featurize",
        "--catalog",
        "az://art/aic.tsv",
        "--out",
        "az://art/index/aic",
        "--limit",
        String(ROWS),
      ].concat(["--concurrency", "4", "--batch-size", "8", "--threads", "2", "--json"]),
      { cwd: tmp.dir, env },
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain(DEV_KEY);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      rowsRead: ROWS,
      indexed: ROWS - 1,
      failed: 1,
      failuresByReason: { http_404: 1 },
      outDir: "az://art/index/aic",
    });
    const pointer = JSON.parse(
      (await container.getBlobClient("index/aic/CURRENT").downloadToBuffer()).toString(),
    );
    const manifest = JSON.parse(
      (
        await container.getBlobClient(`index/aic/${pointer.version}/manifest.json`).downloadToBuffer()
      ).toString(),
    );
    expect(manifest.count).toBe(ROWS - 1);
    const records = (
      await container.getBlobClient(`index/aic/${pointer.version}/records.jsonl`).downloadToBuffer()
    )
      .toString()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string; image: string });
    expect(records.map((r) => r.id)).not.toContain(works[deleted]!.id);
    expect(records.find((r) => r.id === works[0]!.id)?.image).toBe(
      `${azurite.current.endpoint}/art/images/${works[0]!.file}`,
    );
    // The NDJSON events on stderr name the failed row and why.
    expect(run.stderr).toContain(`"id":"${works[deleted]!.id}"`);
    expect(run.stderr).toMatch(/"reason":"http_404"/);
  });

  it("queries the published index (pulled into a fresh cache): the image itself comes first", async () => {
    await rm(path.join(tmp.dir, "cache", "blob-index"), { recursive: true, force: true });
    const image = `az://art/images/${works[0]!.file}`;
    const run = await runCliInProcess(
      ["query", image, "--index", "az://art/index/aic", "-n", "3", "--json"],
      {
        cwd: tmp.dir,
        env,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { results: { id: string; score: number }[] };
    expect(out.results[0]?.id).toBe(works[0]!.id);
    // Not 1.0: the default model's indexed vectors are blended with their neighbours (DBA), queries are not.
    expect(out.results[0]!.score).toBeGreaterThan(out.results[1]!.score + 0.1);
  });

  it("fails clearly on a missing container and publishes nothing", async () => {
    const run = await runCliInProcess(
      [
        "featurize",
        "--catalog",
        "az://no-such-container/aic.tsv",
        "--out",
        "az://art/index/never",
        "--limit",
        "5",
      ],
      { cwd: tmp.dir, env },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Container "no-such-container" does not exist in storage account devstoreaccount1/,
    );
    expect(await container.getBlobClient("index/never/CURRENT").exists()).toBe(false);
  });

  it("fails clearly on a wrong key, without printing any key", async () => {
    const wrongKey = Buffer.from("a-wrong-key-for-devstoreaccount1-0123").toString("base64");
    const run = await runCliInProcess(
      ["query", "--id", works[0]!.id, "--index", "az://art/index/aic", "--verbose"],
      {
        cwd: tmp.dir,
        env: { ...env, AZURE_STORAGE_CONNECTION_STRING: azurite.current.connectionStringWithKey(wrongKey) },
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Azure Storage refused access/);
    expect(run.stderr).not.toContain(wrongKey);
    expect(run.stderr).not.toContain(DEV_KEY);
  });
});
