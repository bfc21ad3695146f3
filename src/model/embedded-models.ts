import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CONVERTER_VERSION } from "./convert-layers.js";
import type { ModelPlan } from "./presets.js";

/**
 * The converted models shipped inside the package (dist/models), written at build time by
 * scripts/build-models.mjs from the presets with bundled weights, each checked against TF.js there.
 * A user's first `featurize` opens them directly: no TF.js, no nsfwjs, no conversion at run time.
 */
export interface EmbeddedModelEntry {
  /** The plan id (modelId) the file computes. */
  id: string;
  preset: string;
  /** File name inside dist/models. */
  file: string;
  bytes: number;
  sha256: string;
  dim: number;
  converterVersion: string;
  /** Where the weights came from, e.g. nsfwjs@4.3.0. */
  weights: string;
  /** The build-time check against TF.js. */
  parity: { minCosine: number; samples: number };
}

export interface EmbeddedModelsManifest {
  format: 1;
  models: EmbeddedModelEntry[];
}

export const EMBEDDED_MANIFEST = "manifest.json";

/** dist/models of this mosaic, found from this file in src/model (tests, tsx) or dist/src/model (CLI). */
export function embeddedModelsDir(): string | undefined {
  for (const rel of ["../../", "../../../"]) {
    const root = fileURLToPath(new URL(rel, import.meta.url));
    const pkg = path.join(root, "package.json");
    if (!existsSync(pkg)) continue;
    const name = (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name;
    if (name === "mosaic") return path.join(root, "dist", "models");
  }
  return undefined;
}

let cached: { dir: string; manifest: EmbeddedModelsManifest | undefined } | undefined;

/** The shipped manifest, or undefined when this mosaic carries none (a clone before `npm run build`). */
export function readEmbeddedManifest(dir = embeddedModelsDir()): EmbeddedModelsManifest | undefined {
  if (dir === undefined) return undefined;
  if (cached?.dir === dir) return cached.manifest;
  let manifest: EmbeddedModelsManifest | undefined;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, EMBEDDED_MANIFEST), "utf8")) as EmbeddedModelsManifest;
  } catch {
    manifest = undefined;
  }
  cached = { dir, manifest };
  return manifest;
}

/**
 * The shipped .onnx for a plan, when this package carries one made by the current converter and the
 * file is whole (size as recorded); otherwise undefined and the caller converts as before.
 */
export function embeddedOnnxPath(plan: ModelPlan, dir = embeddedModelsDir()): string | undefined {
  if (dir === undefined || plan.source.kind !== "nsfwjs") return undefined;
  const entry = readEmbeddedManifest(dir)?.models.find(
    (m) => m.id === plan.id && m.converterVersion === CONVERTER_VERSION,
  );
  if (!entry) return undefined;
  const file = path.join(dir, entry.file);
  try {
    return statSync(file).size === entry.bytes ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Clears the manifest memo (tests write manifests into temp folders). */
export function forgetEmbeddedManifest(): void {
  cached = undefined;
}
