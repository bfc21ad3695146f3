import { defineConfig } from "mosaic";

// mosaic's defaults, spelled out. With no `catalog`, featurize indexes the built-in synthetic sample.
// For a real collection, set `catalog` (a CSV/TSV/JSONL path or URL) and map its columns, e.g.
//   catalog: "../shared/data/aic-sample/catalog.csv",
//   columns: { id: "id", image: ["image"], facets: { culture: "department", classification: "classification" } },
export default defineConfig({
  index: ".mosaic/index",
  model: "mobilenet-v2-art",
  batchSize: 32,
  concurrency: 16,
  columns: {
    id: "id",
    image: ["Thumbnail_Url", "Image_Url"],
    facets: { culture: "Culture", classification: "Classification" },
  },
});
