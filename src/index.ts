/**
 * mosaic's public API: everything the CLI does is available as a library call.
 * No ink or commander in here; the CLI lives in src/cli.ts.
 */
export type { Artwork, CatalogIssue } from "./catalog/artwork.js";
export { readCatalog } from "./catalog/read-catalog.js";
export { defineConfig } from "./config/define-config.js";
export { loadConfig } from "./config/load-config.js";
export type { MosaicConfig, MosaicConfigInput } from "./config/schema.js";
export { AbortedError, ConfigError, ExternalError, MosaicError, UsageError } from "./errors.js";
export type { FeaturizeEvent, FeaturizeSummary, Reporter } from "./featurize/events.js";
export { featurize } from "./featurize/featurize.js";
export { decodeImage } from "./images/decode.js";
export { createImageFetcher } from "./images/image-fetcher.js";
export { evaluatePrecisionAtK } from "./index/eval.js";
export { loadIndex } from "./index/load-index.js";
export { mergeIndexes } from "./index/merge-indexes.js";
export { foldFacetValue, resolveFilter } from "./index/resolve-filter.js";
export { searchExact } from "./index/search-exact.js";
export type { Filter, IndexManifest, IndexRecord, SearchHit, VectorIndex } from "./index/types.js";
export { writeIndex } from "./index/write-index.js";
export { createEmbedder } from "./model/embedder.js";
export { ensureOnnx } from "./model/ensure-onnx.js";
export { MODEL_PRESETS, resolveModel } from "./model/presets.js";
export { query } from "./query/query.js";
export { buildApp } from "./server/build-app.js";
