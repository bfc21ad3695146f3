import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, UsageError } from "../errors.js";
import { configJsonSchema } from "./json-schema.js";
import { deepMerge, envToLayer, loadConfig } from "./load-config.js";

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "mosaic-config-"));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

describe("loadConfig", () => {
  it("applies defaults when there is no file, env or flag", async () => {
    const cwd = await dirWith({});
    const { config, file } = await loadConfig({ cwd, env: {} });
    expect(file).toBeNull();
    expect(config.batchSize).toBe(32);
    expect(config.columns).toEqual({
      id: "id",
      image: ["Thumbnail_Url", "Image_Url"],
      facets: { culture: "Culture", classification: "Classification" },
    });
  });

  it("follows defaults < file < env < flags", async () => {
    const cwd = await dirWith({
      "mosaic.config.json": JSON.stringify({ batchSize: 8, concurrency: 4, model: "file-model", limit: 5 }),
    });
    const env = { MOSAIC_CONCURRENCY: "6", MOSAIC_MODEL: "env-model" };
    const { config } = await loadConfig({ cwd, env, flags: { model: "flag-model", limit: undefined } });
    expect(config.batchSize).toBe(8); // file over default
    expect(config.concurrency).toBe(6); // env over file
    expect(config.model).toBe("flag-model"); // flag over env
    expect(config.limit).toBe(5); // an undefined flag does not erase the file value
    expect(config.threads).toBe(0); // default
  });

  it("loads mosaic.config.ts with defineConfig-style default export", async () => {
    const cwd = await dirWith({
      "mosaic.config.ts": `const config: { batchSize: number } = { batchSize: 3 };\nexport default config;\n`,
    });
    const { config, file } = await loadConfig({ cwd, env: {} });
    expect(file).toMatch(/mosaic\.config\.ts$/);
    expect(config.batchSize).toBe(3);
  });

  it("reads a `mosaic` key from package.json", async () => {
    const cwd = await dirWith({ "package.json": JSON.stringify({ name: "x", mosaic: { concurrency: 2 } }) });
    expect((await loadConfig({ cwd, env: {} })).config.concurrency).toBe(2);
  });

  it("names the file and the field path of a broken config", async () => {
    const cwd = await dirWith({
      "mosaic.config.json": JSON.stringify({ batchSize: -1, columns: { facets: { Culture: "x" } } }),
    });
    const error = await loadConfig({ cwd, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const { message, exitCode } = error as ConfigError;
    expect(exitCode).toBe(2);
    expect(message).toContain("mosaic.config.json");
    expect(message).toContain("batchSize");
    expect(message).toContain("columns.facets.Culture: facet names are lower-case identifiers");
  });

  it("rejects unknown keys (a typo never silently does nothing)", async () => {
    const cwd = await dirWith({ "mosaic.config.json": JSON.stringify({ batchsize: 4 }) });
    await expect(loadConfig({ cwd, env: {} })).rejects.toThrow(/batchsize/);
  });

  it("blames the environment for a bad MOSAIC_* value", async () => {
    const cwd = await dirWith({});
    await expect(loadConfig({ cwd, env: { MOSAIC_BATCH_SIZE: "lots" } })).rejects.toThrow(
      /environment.*batchSize/s,
    );
  });

  it("reports bad flags as a usage error", async () => {
    const cwd = await dirWith({});
    const error = await loadConfig({ cwd, env: {}, flags: { batchSize: 0 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain("--batch-size");
  });

  it("fails with exit 2 when --config points nowhere", async () => {
    const cwd = await dirWith({});
    const error = await loadConfig({ cwd, env: {}, configPath: "nope.json" }).catch((e: unknown) => e);
    expect((error as UsageError).exitCode).toBe(2);
  });
});

describe("config files outside a clone", () => {
  it('loads a mosaic.config.ts that imports defineConfig from "mosaic" with nothing installed beside it', async () => {
    const cwd = await dirWith({
      "mosaic.config.ts": [
        'import { defineConfig } from "mosaic";',
        'import type { MosaicConfigInput } from "mosaic";',
        "const size: number = 7;",
        "const extra: MosaicConfigInput = { concurrency: 3 };",
        "export default defineConfig({ batchSize: size, ...extra });",
        "",
      ].join("\n"),
    });
    const { config, file } = await loadConfig({ cwd, env: {} });
    expect(file).toBe(path.join(cwd, "mosaic.config.ts"));
    expect(config).toMatchObject({ batchSize: 7, concurrency: 3 });
  });

  it('resolves other imports from "mosaic" to the running mosaic\'s full API', {
    timeout: 60_000,
  }, async () => {
    const cwd = await dirWith({
      "mosaic.config.mjs":
        'import { MODEL_PRESETS } from "mosaic";\nexport default { model: Object.keys(MODEL_PRESETS).includes("mobilenet-v2") ? "mobilenet-v2" : "x" };\n',
    });
    expect((await loadConfig({ cwd, env: {} })).config.model).toBe("mobilenet-v2");
  });

  it("warns when package.json#mosaic shadows a config file", async () => {
    const cwd = await dirWith({
      "package.json": JSON.stringify({ name: "x", mosaic: { concurrency: 2 } }),
      "mosaic.config.json": JSON.stringify({ concurrency: 9 }),
    });
    const loaded = await loadConfig({ cwd, env: {} });
    expect(loaded.config.concurrency).toBe(2);
    expect(loaded.warnings).toEqual([
      "package.json#mosaic is used as the config; mosaic.config.json beside it is ignored (move the settings into one of them)",
    ]);
    const plain = await dirWith({
      "package.json": JSON.stringify({ name: "x" }),
      "mosaic.config.json": "{}",
    });
    expect((await loadConfig({ cwd: plain, env: {} })).warnings).toEqual([]);
  });

  it('accepts "$schema" in a JSON config and names each value\'s source', async () => {
    const cwd = await dirWith({
      "mosaic.config.json": JSON.stringify({
        $schema: "./mosaic.config.schema.json",
        batchSize: 8,
        fetch: { retries: 1 },
        columns: { facets: { dept: "Department" } },
      }),
    });
    const { sources, config } = await loadConfig({
      cwd,
      env: { MOSAIC_CONCURRENCY: "6", MOSAIC_FETCH__TIMEOUT_MS: "900" },
      flags: { limit: 5 },
    });
    expect(config).not.toHaveProperty("$schema");
    const file = path.join(cwd, "mosaic.config.json");
    expect(sources).toMatchObject({
      batchSize: file,
      "fetch.retries": file,
      "columns.facets": file,
      "columns.id": "default",
      concurrency: "env MOSAIC_CONCURRENCY",
      "fetch.timeoutMs": "env MOSAIC_FETCH__TIMEOUT_MS",
      limit: "flag --limit",
      threads: "default",
    });
  });

  it("publishes a JSON Schema that takes what the loader takes", async () => {
    const { Ajv2020 } = await import("ajv/dist/2020.js");
    const validate = new Ajv2020({ strict: false }).compile(configJsonSchema());
    expect(validate({ $schema: "x", catalog: "met.tsv", columns: { facets: { culture: "Culture" } } })).toBe(
      true,
    );
    expect(validate({ batchsize: 4 })).toBe(false); // the typo the loader refuses too
    expect(validate({ device: "tpu" })).toBe(false);
  });
});

describe("envToLayer", () => {
  it("maps nested keys and ignores unrelated MOSAIC_* variables", () => {
    expect(
      envToLayer({ MOSAIC_FETCH__TIMEOUT_MS: "5000", MOSAIC_API_KEY: "secret", MOSAIC_CACHE_DIR: "/c" }),
    ).toEqual({ fetch: { timeoutMs: 5000 }, cacheDir: "/c" });
  });
});

describe("deepMerge", () => {
  it("replaces facet maps instead of merging them", () => {
    const merged = deepMerge(
      { columns: { id: "a", facets: { culture: "C" } } },
      { columns: { facets: { dept: "D" } } },
    );
    expect(merged).toEqual({ columns: { id: "a", facets: { dept: "D" } } });
  });
});
