import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCatalog } from "../../src/catalog/read-catalog.js";
import { decodeImage } from "../../src/images/decode.js";
import { ImageFailure } from "../../src/images/failure.js";
import { createImageFetcher } from "../../src/images/image-fetcher.js";
import type { PreprocessSpec } from "../../src/contracts/preprocess-spec.js";
import { startTestServer, type TestServer } from "../helpers/http-server.js";

const spec: PreprocessSpec = {
  height: 8,
  width: 8,
  resize: "squash",
  channelOrder: "bgr",
  mean: [103.939, 116.779, 123.68],
  std: [1, 1, 1],
  layout: "nhwc",
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ slowMs: 2_000, bigBytes: 100 * 1024 });
});
afterAll(() => server.close());

describe("catalog → fetch → decode loses nothing", () => {
  it("accounts for every row as ok or reported, with the right reason", async () => {
    const u = server.url;
    const rows = [
      `1,good jpeg,${u}/good.jpg`,
      `2,gone,${u}/missing`,
      `3,flaky,${u}/flaky/catalog`,
      `4,slow,${u}/slow`,
      `5,cut,${u}/truncated`,
      `6,html,${u}/html`,
      `7,huge,${u}/big`,
      ",no id,good.jpg",
      `1,duplicate,${u}/good.png`,
      "10,no image,",
      '11,"bad "quoting,good.jpg',
      "12,relative png,good.png",
    ];
    server.serve("/mixed.csv", `id,Title,Thumbnail_Url\n${rows.join("\n")}\n`, "text/csv");
    const fetcher = createImageFetcher({ timeoutMs: 300, attempts: 2, backoffMs: 1, maxBytes: 64 * 1024 });

    const outcomes = new Map<number, string>();
    let ok = 0;
    let reported = 0;
    const record = (row: number, outcome: string): void => {
      expect(outcomes.has(row), `row ${row} accounted for twice`).toBe(false);
      outcomes.set(row, outcome);
      if (outcome === "ok") ok += 1;
      else reported += 1;
    };
    const work: Promise<void>[] = [];
    for await (const entry of readCatalog(`${u}/mixed.csv`, { facets: {} })) {
      if (entry.kind === "issue") {
        record(entry.issue.row, entry.issue.reason);
        continue;
      }
      const { artwork } = entry;
      work.push(
        fetcher
          .fetch(artwork.image)
          .then((bytes) => decodeImage(bytes, spec))
          .then(
            () => record(artwork.row, "ok"),
            (error: unknown) => {
              if (!(error instanceof ImageFailure)) throw error;
              record(artwork.row, error.reason);
            },
          ),
      );
    }
    await Promise.all(work);
    fetcher.close();

    expect(Object.fromEntries(outcomes)).toEqual({
      1: "ok",
      2: "http_404",
      3: "ok",
      4: "timeout",
      5: "truncated",
      6: "not_an_image",
      7: "too_large",
      8: "missing_id",
      9: "duplicate_id",
      10: "missing_image",
      11: "malformed_row",
      12: "ok",
    });
    // Rows in = rows ok + rows reported.
    expect([ok, reported]).toEqual([3, 9]);
    expect(ok + reported).toBe(rows.length);
    expect(server.hits("/flaky/catalog")).toBe(2);
  });
});
