import type { Artwork } from "../catalog/artwork.js";
import type { PixelBatch, PixelFormat } from "./preprocess-spec.js";

/** The model as the pipeline sees it: a batch of preprocessed images in, one raw vector per image out. */
export interface EmbedPort {
  readonly dim: number;
  /** The input form it takes without a conversion (float32 when absent): the pipeline decodes to it. */
  readonly pixels?: PixelFormat;
  embed(batch: PixelBatch, n: number): Promise<Float32Array>;
}

/** Where embedded artworks go (an index writer); null in a dry run. */
export interface IndexSink {
  add(record: Artwork, vector: Float32Array): Promise<void> | void;
  commit(): Promise<void>;
  abort(): Promise<void>;
}
