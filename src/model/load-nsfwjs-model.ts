import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { MosaicError } from "../errors.js";
import type { LayersArtifacts, WeightsGroup } from "./layers-artifacts.js";

/** The layers-format models nsfwjs ships (mobilenet_v2_mid is a graph model, so it is not offered). */
export type NsfwjsModelName = "mobilenet_v2" | "inception_v3";

const require = createRequire(import.meta.url);

/** nsfwjs's package root: its `exports` hide package.json, so walk up from the resolved entry point. */
function nsfwjsRoot(): string {
  let dir = path.dirname(require.resolve("nsfwjs"));
  while (!existsSync(path.join(dir, "package.json")) || !existsSync(path.join(dir, "dist", "models"))) {
    const up = path.dirname(dir);
    if (up === dir)
      throw new MosaicError("Cannot locate the nsfwjs package (the source of the bundled weights)", {
        hint: "An installed mosaic ships its bundled models converted (dist/models); reinstall it if that folder is missing. In a clone: npm ci && npm run build.",
      });
    dir = up;
  }
  return dir;
}

/** Directory of nsfwjs's bundled models, found through the package itself rather than a guessed path. */
export function nsfwjsModelsDir(): string {
  return path.join(nsfwjsRoot(), "dist", "models");
}

/** The installed nsfwjs version (part of cache keys: new weights must not reuse an old conversion). */
export function nsfwjsVersion(): string {
  return (JSON.parse(readFileSync(path.join(nsfwjsRoot(), "package.json"), "utf8")) as { version: string })
    .version;
}

/**
 * Loads one of nsfwjs's bundled models. They ship as UMD scripts: model.min.js exports
 * {modelTopology, weightsManifest}; each group1-shardKofN.min.js exports the shard as a base64 string.
 */
export function loadNsfwjsModel(name: NsfwjsModelName): LayersArtifacts {
  const dir = path.join(nsfwjsModelsDir(), name);
  let model: { modelTopology?: Record<string, unknown>; weightsManifest?: WeightsGroup[] };
  try {
    model = require(path.join(dir, "model.min.js"));
  } catch (cause) {
    throw new MosaicError(`Cannot load nsfwjs model ${name}`, {
      hint: "Reinstall dependencies (npm ci); the nsfwjs package ships the model files.",
      cause,
    });
  }
  if (!model.modelTopology || !model.weightsManifest) {
    throw new MosaicError(`nsfwjs model ${name} is not a layers model`);
  }
  const chunks: Buffer[] = [];
  for (const group of model.weightsManifest) {
    for (const p of group.paths) {
      const b64 = require(path.join(dir, `${p}.min.js`)) as unknown;
      if (typeof b64 !== "string") throw new MosaicError(`nsfwjs shard ${p} of ${name} is not base64 text`);
      chunks.push(Buffer.from(b64, "base64"));
    }
  }
  return {
    label: `nsfwjs/${name}`,
    modelTopology: model.modelTopology,
    weightsManifest: model.weightsManifest,
    weightData: new Uint8Array(Buffer.concat(chunks)),
  };
}
