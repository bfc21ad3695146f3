import { z } from "zod";
import { aksSchema } from "./aks-schema.js";

const positiveInt = z.number().int().positive();

const preprocessSchema = z
  .object({
    height: positiveInt,
    width: positiveInt,
    resize: z.enum(["squash", "crop"]),
    channelOrder: z.enum(["rgb", "bgr"]),
    mean: z.tuple([z.number(), z.number(), z.number()]),
    std: z.tuple([z.number(), z.number(), z.number()]),
    layout: z.enum(["nhwc", "nchw"]),
  })
  .partial()
  .strict();

/** Which catalog columns mean what. Defaults follow the original MosAIc TSV schema. */
const columnsSchema = z
  .object({
    id: z.string().min(1).default("id"),
    image: z.array(z.string().min(1)).min(1).default(["Thumbnail_Url", "Image_Url"]),
    facets: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]*$/, "facet names are lower-case identifiers"),
        z.string().min(1),
      )
      .default({ culture: "Culture", classification: "Classification" }),
  })
  .strict();

const fetchSchema = z
  .object({
    timeoutMs: positiveInt.default(15_000),
    retries: z.number().int().min(0).max(10).default(3),
    maxBytes: positiveInt.default(20 * 1024 * 1024),
  })
  .strict();

/** The one schema for mosaic.config.* files, MOSAIC_* env and flags. */
export const configSchema = z
  .object({
    /** Catalog location (path or http(s) URL). Unset: the embedded synthetic sample collection. */
    catalog: z.string().min(1).optional(),
    format: z.enum(["csv", "tsv", "jsonl"]).optional(),
    columns: columnsSchema.default({
      id: "id",
      image: ["Thumbnail_Url", "Image_Url"],
      facets: { culture: "Culture", classification: "Classification" },
    }),
    /** Where featurize writes the index and where query/serve read it. */
    index: z.string().min(1).default(".mosaic/index"),
    /** Downloaded images and converted models. */
    cacheDir: z.string().min(1).optional(),
    /** Model preset name (default: the embedded mobilenet-v2-art), or a path to an .onnx file or TF.js model.json. */
    model: z.string().min(1).optional(),
    /** With a model path: the preset whose cut, pooling and preprocessing apply (default resnet50-keras). */
    modelPreset: z.string().min(1).optional(),
    /** Preprocessing for a model you bring (merged over the preset's or the resnet50-keras spec). */
    preprocess: z.union([z.literal("caffe"), preprocessSchema]).optional(),
    /** Execution provider; `auto` takes the first of cuda, webgpu, cpu that starts and says why it skipped any. */
    /** Search engine for query/serve: auto plans per query between exact scan and the HNSW graph. */
    engine: z.enum(["auto", "exact", "balltree", "hnsw"]).default("auto"),
    device: z.enum(["auto", "cpu", "webgpu", "cuda"]).default("auto"),
    /** fp16 halves weights and arithmetic on GPU devices (inputs and outputs stay float32); ignored on cpu. */
    precision: z.enum(["fp32", "fp16"]).default("fp32"),
    /**
     * Model input: uint8 pixels normalized inside the graph (a quarter of the bytes per batch), or float32
     * as exported; auto takes uint8 on GPU devices, where it measured faster, and float32 on the CPU.
     */
    pixels: z.enum(["auto", "float32", "uint8"]).default("auto"),
    batchSize: positiveInt.max(4096).default(32),
    concurrency: positiveInt.max(1024).default(16),
    /** ONNX Runtime intra-op threads; 0 = one per core. */
    threads: z.number().int().min(0).default(0),
    limit: positiveInt.optional(),
    /** Worker threads that decode images; unset: one per core but one on machines with 4+ cores, else none. */
    decodeWorkers: z.number().int().min(0).max(64).optional(),
    fetch: fetchSchema.default({ timeoutMs: 15_000, retries: 3, maxBytes: 20 * 1024 * 1024 }),
    /** `mosaic docker build` and `deploy local`. */
    docker: z
      .object({
        /** Image with Node 20 the service image is built FROM; default node:20-bookworm-slim. Env: MOSAIC_DOCKER__BASE_IMAGE. */
        baseImage: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** `mosaic deploy aks`: cluster, node pool, image, index and scaling (see src/config/aks-schema.ts). */
    aks: aksSchema.optional(),
    /** Azure Blob Storage: the account `az://<container>/<path>` resolves against, and the container for `az:///<path>`. */
    azure: z
      .object({ account: z.string().min(1).optional(), container: z.string().min(1).optional() })
      .strict()
      .optional(),
  })
  .strict();

/** What users write in mosaic.config.ts: every field optional. */
export type MosaicConfigInput = z.input<typeof configSchema>;
/** The resolved config with defaults applied. */
export type MosaicConfig = z.output<typeof configSchema>;
