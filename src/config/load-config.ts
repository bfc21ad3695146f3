import path from "node:path";
import type { z } from "zod";
import { ConfigError, UsageError } from "../errors.js";
import { configSources } from "./config-sources.js";
import { readConfigFile } from "./read-config-file.js";
import { configSchema, type MosaicConfig } from "./schema.js";

type Layer = Record<string, unknown>;

export interface LoadConfigOptions {
  cwd: string;
  /** Explicit --config path; when unset the working directory is searched (see CONFIG_SEARCH). */
  configPath?: string;
  env: Record<string, string | undefined>;
  /** Values from command-line flags (undefined entries are ignored). */
  flags?: Layer;
  /** Where transpiled TS/ESM configs are cached; unset: transpiled on every run. */
  transpileCacheDir?: string;
}

export interface LoadedConfig {
  config: MosaicConfig;
  /** The config file that was used, if any. */
  file: string | null;
  /** Dotted path → where the value came from: "default", the file, "env MOSAIC_…" or "flag --…". */
  sources: Record<string, string>;
  /** Things a person should hear about, e.g. a config file that another one shadows. */
  warnings: string[];
}

/** Resolve config with precedence defaults < file < MOSAIC_* env < flags; each layer validated on its own. */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const read = await readConfigFile({
    cwd: options.cwd,
    configPath: options.configPath,
    transpileCacheDir: options.transpileCacheDir,
  });
  const { file } = read;
  // "$schema" is for editors; it is no setting.
  const { $schema: _schema, ...fileLayer } = read.layer;
  const envLayer = envToLayer(options.env);
  const flagLayer = dropUndefined(options.flags ?? {});

  if (file) validateLayer(fileLayer, file);
  if (Object.keys(envLayer).length > 0) validateLayer(envLayer, "environment (MOSAIC_* variables)");
  validateLayer(flagLayer, "command-line flags", UsageError);

  const merged = deepMerge(deepMerge(fileLayer, envLayer), flagLayer);
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError("merged config", toIssues(result.error));
  const warnings = read.shadowed.map((other) =>
    path.basename(file ?? "") === "package.json"
      ? `package.json#mosaic is used as the config; ${path.basename(other)} beside it is ignored (move the settings into one of them)`
      : `${path.basename(file ?? "")} is used as the config; ${path.basename(other)} beside it is ignored`,
  );
  return {
    config: result.data,
    file,
    sources: configSources(result.data as Layer, { file, fileLayer, envLayer, flagLayer }),
    warnings,
  };
}

function validateLayer(
  layer: Layer,
  source: string,
  ErrorType: typeof ConfigError | typeof UsageError = ConfigError,
) {
  const result = configSchema.safeParse(layer);
  if (result.success) return;
  const issues = toIssues(result.error);
  if (ErrorType === UsageError) {
    throw new UsageError(
      `Invalid ${source}: ${issues.map((i) => `--${kebab(i.path)}: ${i.message}`).join("; ")}`,
      { hint: "Run the command with --help to see valid values." },
    );
  }
  throw new ConfigError(source, issues);
}

function toIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.join("."),
    // zod 4 reports a record key that fails its own check as "Invalid key in record"; say why instead.
    message: issue.code === "invalid_key" && issue.issues[0] ? issue.issues[0].message : issue.message,
  }));
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * MOSAIC_BATCH_SIZE=64 → { batchSize: 64 }; MOSAIC_FETCH__TIMEOUT_MS=5000 → { fetch: { timeoutMs: 5000 } }.
 * Only keys the schema knows are taken, so unrelated MOSAIC_* variables (e.g. MOSAIC_API_KEY) never fail config.
 */
export function envToLayer(env: Record<string, string | undefined>): Layer {
  const layer: Layer = {};
  const known = configSchema.shape as Record<string, unknown>;
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith("MOSAIC_") || raw === undefined || raw === "") continue;
    const keys = name
      .slice("MOSAIC_".length)
      .split("__")
      .map((part) => part.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
    const top = keys[0];
    if (!top || !(top in known)) continue;
    let target = layer;
    for (const key of keys.slice(0, -1)) {
      if (!isPlainObject(target[key])) target[key] = {};
      target = target[key] as Layer;
    }
    target[keys[keys.length - 1] as string] = parseEnvValue(raw);
  }
  return layer;
}

function parseEnvValue(raw: string): unknown {
  const trimmed = raw.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed === "true" || trimmed === "false") return trimmed === "true";
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return raw;
    }
  }
  return raw;
}

function dropUndefined(layer: Layer): Layer {
  return Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined));
}

function isPlainObject(value: unknown): value is Layer {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays, scalars and facet maps from the higher layer replace. */
export function deepMerge(lower: Layer, higher: Layer): Layer {
  const out: Layer = { ...lower };
  for (const [key, value] of Object.entries(higher)) {
    const base = out[key];
    out[key] =
      key !== "facets" && isPlainObject(base) && isPlainObject(value) ? deepMerge(base, value) : value;
  }
  return out;
}
