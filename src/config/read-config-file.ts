import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, UsageError } from "../errors.js";

type Layer = Record<string, unknown>;

/** Where mosaic looks in the working directory, first match wins (package.json only with a `mosaic` key). */
export const CONFIG_SEARCH = [
  "package.json",
  "mosaic.config.ts",
  "mosaic.config.mts",
  "mosaic.config.cts",
  "mosaic.config.js",
  "mosaic.config.mjs",
  "mosaic.config.cjs",
  "mosaic.config.json",
  ".mosaicrc.json",
] as const;

export interface ConfigFileResult {
  layer: Layer;
  /** The file the layer came from (for package.json: the package.json path). */
  file: string | null;
  /** Other config files in the same folder that the loaded one shadows. */
  shadowed: string[];
}

export interface ReadConfigFileOptions {
  cwd: string;
  configPath?: string | undefined;
  /** Where TS/ESM configs are cached once transpiled (a later run skips the transpiler). */
  transpileCacheDir?: string | undefined;
}

/** Finds and reads the config file: an explicit --config path, else the first of CONFIG_SEARCH in cwd. */
export async function readConfigFile(options: ReadConfigFileOptions): Promise<ConfigFileResult> {
  if (options.configPath) {
    const file = path.resolve(options.cwd, options.configPath);
    if (!existsSync(file)) {
      throw new UsageError(`Config file not found: ${file}`, { hint: "Check the --config path." });
    }
    return { layer: await readOne(file, options, true), file, shadowed: [] };
  }
  const found: { file: string; layer: Layer }[] = [];
  for (const name of CONFIG_SEARCH) {
    const file = path.join(options.cwd, name);
    if (!existsSync(file)) continue;
    if (name === "package.json") {
      const pkg = await readJson(file);
      if (isPlainObject(pkg) && pkg.mosaic !== undefined) {
        found.push({ file, layer: asLayer(pkg.mosaic, `${file} (key "mosaic")`) });
      }
      continue;
    }
    // Only the first is read; the others are named so a shadowed file does not go unnoticed.
    found.push({ file, layer: found.length === 0 ? await readOne(file, options, false) : {} });
  }
  const [first, ...rest] = found;
  if (!first) return { layer: {}, file: null, shadowed: [] };
  return { layer: first.layer, file: first.file, shadowed: rest.map((f) => f.file) };
}

async function readOne(file: string, options: ReadConfigFileOptions, explicit: boolean): Promise<Layer> {
  // JSON by extension; a --config file without a script extension is read as JSON too.
  if (/\.json$/i.test(file) || (explicit && !/\.[cm]?[jt]s$/i.test(file))) {
    const value = await readJson(file);
    if (path.basename(file) === "package.json") {
      return asLayer(isPlainObject(value) ? (value.mosaic ?? {}) : value, `${file} (key "mosaic")`);
    }
    return asLayer(value, file);
  }
  return asLayer(await importModule(file, options), file);
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(file, [{ path: "", message: `is not valid JSON: ${(cause as Error).message}` }], {
      cause,
    });
  }
}

/**
 * Loads a TS/JS config with jiti (shipped with mosaic: nothing for the user to install, typescript
 * included). `import … from "mosaic"` resolves to the running mosaic: to its light config entry when
 * the file takes only defineConfig from it (the whole library API costs a second to load), else to the
 * full public API.
 */
async function importModule(file: string, options: ReadConfigFileOptions): Promise<unknown> {
  const source = await readFile(file, "utf8");
  const { createJiti } = await import("jiti");
  const jiti = createJiti(import.meta.url, {
    alias: { mosaic: selfEntry(importsOnlyDefineConfig(source) ? "config/define-config" : "index") },
    fsCache: options.transpileCacheDir ?? false,
    moduleCache: false,
    interopDefault: true,
  });
  try {
    return await jiti.import(file, { default: true });
  } catch (cause) {
    throw new ConfigError(file, [{ path: "", message: `could not be loaded: ${(cause as Error).message}` }], {
      cause,
    });
  }
}

/** This mosaic's own module (dist/src/… when installed, src/….ts when run from a clone's sources). */
function selfEntry(rel: string): string {
  // Built: the sibling .js. From source (tests, tsx): the build of this tree when there is one, since
  // jiti cannot follow the source's .js specifiers to .tsx files; else the .ts itself.
  for (const candidate of [`../${rel}.js`, `../../dist/src/${rel}.js`, `../${rel}.ts`]) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) return file;
  }
  return fileURLToPath(new URL(`../${rel}.js`, import.meta.url));
}

/** True when every value imported from "mosaic" is defineConfig (type-only imports do not count). */
export function importsOnlyDefineConfig(source: string): boolean {
  const specs = [...source.matchAll(/import\s+(type\s+)?([^;]*?)\s+from\s*["']mosaic["']/g)];
  const required = /require\(\s*["']mosaic["']\s*\)|import\(\s*["']mosaic["']\s*\)/.test(source);
  if (required) return false;
  return specs.every(([, typeOnly, clause = ""]) => {
    if (typeOnly) return true;
    const named = clause.match(/^\{([^}]*)\}$/s);
    if (!named) return false; // default or namespace import
    return named[1]!
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "" && !s.startsWith("type "))
      .every((s) => s === "defineConfig");
  });
}

function asLayer(value: unknown, where: string): Layer {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new ConfigError(where, [{ path: "", message: "must export an object" }]);
  return value;
}

function isPlainObject(value: unknown): value is Layer {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
