import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, UsageError } from "../errors.js";
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
    expect(message).toContain("columns.facets.Culture");
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
