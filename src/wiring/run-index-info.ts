import { resolveIndexDir } from "./blob-index-location.js";
import type { Context } from "./context.js";
import { UsageError } from "../errors.js";
import { planForModelId } from "../model/model-from-config.js";
import { isPgLocation } from "../pgvector/pg-location.js";
import { type IndexInfo, indexInfo } from "../vector-index/index-info.js";

/** `mosaic index info [dir]`: a local directory, or a blob location (fetched into the cache first). */
export async function runIndexInfo(ctx: Context): Promise<IndexInfo> {
  if (isPgLocation(ctx.config.index)) {
    throw new UsageError("mosaic index info reads file indexes, not PostgreSQL tables", {
      hint: "Run it on the directory you pushed (mosaic index info .mosaic/index).",
    });
  }
  const info = await indexInfo(await resolveIndexDir(ctx));
  return { ...info, preset: planForModelId(info.model)?.preset };
}
