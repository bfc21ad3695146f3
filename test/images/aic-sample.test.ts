import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Artwork } from "../../src/catalog/artwork.js";
import { readCatalog } from "../../src/catalog/read-catalog.js";
import { decodeImage, tensorSize } from "../../src/images/decode.js";
import { createImageFetcher } from "../../src/images/image-fetcher.js";
import { createLimiter } from "../../src/images/limiter.js";
import type { PreprocessSpec } from "../../src/contracts/preprocess-spec.js";

const sample = fileURLToPath(new URL("../../../shared/data/aic-sample/", import.meta.url));
const catalog = `${sample}catalog.csv`;
const present = existsSync(catalog);
if (!present) console.log(`[aic-sample] ${catalog} not found; skipping the real-data tests.`);

const spec: PreprocessSpec = {
  height: 224,
  width: 224,
  resize: "squash",
  channelOrder: "rgb",
  mean: [123.675, 116.28, 103.53],
  std: [58.395, 57.12, 57.375],
  layout: "nchw",
};

describe.skipIf(!present)("aic-sample (real data)", () => {
  it("reads all 446 rows and decodes every image into a batch buffer", async () => {
    const options = {
      imageColumns: ["image"],
      facets: { culture: "department", classification: "classification" },
    };
    const artworks: Artwork[] = [];
    for await (const entry of readCatalog(catalog, options)) {
      expect(entry).toMatchObject({ kind: "artwork" });
      if (entry.kind === "artwork") artworks.push(entry.artwork);
    }
    expect(artworks).toHaveLength(446);
    expect(artworks[0]).toMatchObject({
      id: "aic-24",
      image: `${sample}images/aic_24.jpg`,
      facets: { culture: "Prints and Drawings", classification: "engraving" },
      meta: { title: "Portrait of Edouard Molé", artist: "Robert Nanteuil" },
    });

    const fetcher = createImageFetcher();
    const limiter = createLimiter(4);
    const size = tensorSize(spec);
    const batch = new Float32Array(size * 8);
    const failures: string[] = [];
    await Promise.all(
      artworks.map((artwork, i) =>
        limiter.run(async () => {
          try {
            await decodeImage(await fetcher.fetch(artwork.image), spec, batch, (i % 8) * size);
          } catch (error) {
            failures.push(`${artwork.id}: ${(error as Error).message}`);
          }
        }),
      ),
    );
    fetcher.close();
    expect(failures).toEqual([]);
    expect(batch.some((v) => v !== 0)).toBe(true);
  });
});
