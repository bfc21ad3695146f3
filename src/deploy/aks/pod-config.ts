import type { MosaicConfig } from "../../config/schema.js";

/**
 * The parts of the local config a pod needs, as env and flags: pods run the image without a config
 * file, so catalog columns, the model and the storage account travel on the command line.
 */
export interface PodConfig {
  env: { name: string; value: string }[];
  featurizeFlags: string[];
}

export function podConfigFrom(config: MosaicConfig, cpu: string): PodConfig {
  const env: { name: string; value: string }[] = [];
  if (config.azure?.account) env.push({ name: "MOSAIC_AZURE__ACCOUNT", value: config.azure.account });
  if (config.azure?.container) env.push({ name: "MOSAIC_AZURE__CONTAINER", value: config.azure.container });
  const flags: string[] = [];
  if (config.format) flags.push("--format", config.format);
  flags.push("--id-column", config.columns.id);
  for (const column of config.columns.image) flags.push("--image-column", column);
  for (const [facet, column] of Object.entries(config.columns.facets))
    flags.push("--facet", `${facet}=${column}`);
  if (config.model) flags.push("--model", config.model);
  if (config.modelPreset) flags.push("--model-preset", config.modelPreset);
  flags.push("--batch-size", String(config.batchSize), "--concurrency", String(config.concurrency));
  flags.push("--threads", String(threadsFor(cpu)));
  return { env, featurizeFlags: flags };
}

/** ONNX Runtime threads for a CPU request: one per requested core (a pod sees all the node's cores). */
export function threadsFor(cpu: string): number {
  const cores = cpu.endsWith("m") ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu);
  return Number.isFinite(cores) ? Math.max(1, Math.round(cores)) : 1;
}
