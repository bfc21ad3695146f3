import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir("mosaic-config-cmd-");
});
afterEach(() => tmp.cleanup());

const env = () => ({ XDG_CACHE_HOME: path.join(tmp.dir, "cache") });

describe("mosaic config", () => {
  it("prints the file it loaded and every value with its source", async () => {
    await writeFile(path.join(tmp.dir, "mosaic.config.json"), JSON.stringify({ batchSize: 8 }));
    const run = await runCliInProcess(["config"], {
      cwd: tmp.dir,
      env: { ...env(), MOSAIC_CONCURRENCY: "3" },
    });
    expect(run.code).toBe(0);
    const file = path.join(tmp.dir, "mosaic.config.json");
    expect(run.stdout).toContain(`# config file: ${file}`);
    expect(run.stdout).toMatch(
      new RegExp(`batchSize = 8 +# ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`),
    );
    expect(run.stdout).toMatch(/concurrency = 3 +# env MOSAIC_CONCURRENCY/);
    expect(run.stdout).toMatch(/columns\.id = "id" +# default/);
  });

  it("--json gives file, warnings, config and sources; a shadowed config file is warned about", async () => {
    await writeFile(path.join(tmp.dir, "package.json"), JSON.stringify({ name: "x", mosaic: { limit: 4 } }));
    await writeFile(path.join(tmp.dir, "mosaic.config.json"), "{}");
    const run = await runCliInProcess(["config", "--json"], { cwd: tmp.dir, env: env() });
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({
      file: path.join(tmp.dir, "package.json"),
      config: { limit: 4 },
      sources: { limit: path.join(tmp.dir, "package.json") },
    });
    expect(shown.warnings).toEqual([
      expect.stringMatching(/package\.json#mosaic .* mosaic\.config\.json .* ignored/),
    ]);
    const plain = await runCliInProcess(["config"], { cwd: tmp.dir, env: env() });
    expect(plain.stderr).toMatch(/warning: package\.json#mosaic is used/);
  });

  it("--verbose on any command says which config file was loaded", async () => {
    const run = await runCliInProcess(["--verbose", "config"], { cwd: tmp.dir, env: env() });
    expect(run.stderr).toContain(`config: no config file in ${tmp.dir}`);
  });

  it("--schema prints the JSON Schema", async () => {
    const run = await runCliInProcess(["config", "--schema"], { cwd: tmp.dir, env: env() });
    const schema = JSON.parse(run.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["$schema", "catalog", "columns"]));
  });
});
