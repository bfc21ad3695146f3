/**
 * mosaic's public API: everything the CLI does is available as a library call.
 * No ink or commander in here; the CLI lives in src/cli.ts.
 */
export type { Artwork, CatalogIssue } from "./catalog/artwork.js";
export { readCatalog } from "./catalog/read-catalog.js";
export { defineConfig } from "./config/define-config.js";
export { loadConfig } from "./config/load-config.js";
export type { MosaicConfig, MosaicConfigInput } from "./config/schema.js";
export type { FeaturizeEvent, FeaturizeSummary, JobEvent, Reporter } from "./contracts/events.js";
export { AbortedError, ConfigError, ExternalError, MosaicError, UsageError } from "./errors.js";
export { featurize } from "./featurize/featurize.js";
export { decodeImage } from "./images/decode.js";
export { createImageFetcher } from "./images/image-fetcher.js";
export { createEmbedder } from "./model/embedder.js";
export { ensureOnnx } from "./model/ensure-onnx.js";
export { MODEL_PRESETS, resolveModel } from "./model/presets.js";
export { query } from "./query/query.js";
export { evaluatePrecisionAtK } from "./search/eval.js";
export { searchExact } from "./search/search-exact.js";
export { buildApp } from "./server/build-app.js";
export { loadIndex } from "./vector-index/load-index.js";
export { mergeIndexes } from "./vector-index/merge-indexes.js";
export { foldFacetValue, resolveFilter } from "./vector-index/resolve-filter.js";
export type { Filter, IndexManifest, IndexRecord, SearchHit, VectorIndex } from "./vector-index/types.js";
export { writeIndex } from "./vector-index/write-index.js";
export {
  type FeaturizeCatalogOptions,
  featurizeCatalog,
  type IndexSearchOptions,
  type OpenedIndex,
  openIndex,
  type RuntimeOptions,
} from "./wiring/library.js";
