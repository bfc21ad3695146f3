import { mkdir, rm, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashContext } from "../../src/docker/hash-context.js";
import { planContext } from "../../src/docker/plan-context.js";
import { MosaicError, UsageError } from "../../src/errors.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { writeFakeApp } from "./fake-app.js";

let tmp: { dir: string; cleanup: () => Promise<void> };
let app: Awaited<ReturnType<typeof writeFakeApp>>;
beforeEach(async () => {
  tmp = await makeTempDir("mosaic-plan-");
  app = await writeFakeApp(tmp.dir);
});
afterEach(() => tmp.cleanup());

const plan = (extra: Partial<Parameters<typeof planContext>[0]> = {}) =>
  planContext({ appRoot: app.appRoot, dockerfile: "FROM x", modelFiles: [app.model], arch: "x64", ...extra });

describe("planContext", () => {
  it("holds only what the image needs: built code, production packages, model and index", async () => {
    const targets = (await plan({ indexDir: app.indexDir })).files.map((f) => f.target);
    expect(targets).toEqual(
      expect.arrayContaining([
        "app/package.json",
        "app/bin/mosaic.js",
        "app/dist/src/cli.js",
        "app/dist/commands/serve.js",
        "app/dist/web/index.html",
        "app/dist/web/app.js",
        "app/node_modules/prod/index.js",
        "app/node_modules/prod/package.json",
        "app/node_modules/nested/index.js",
        "app/node_modules/onnxruntime-node/index.js",
        "app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node",
        "cache/models/m-abc.onnx",
        "index/manifest.json",
        "index/records.jsonl",
      ]),
    );
    for (const left of [
      /devtool/,
      /peerish/,
      /\.map$/,
      /\.d\.ts$/,
      /dist\/test/,
      /^app\/src\//,
      /node_modules\/\.bin/,
      /linux\/arm64/,
      /win32/,
    ]) {
      expect(targets.filter((t) => left.test(t))).toEqual([]);
    }
  });

  it("puts a model shipped with mosaic (dist/models) where the app looks for it, with its manifest", async () => {
    const shipped = path.join(app.appRoot, "dist", "models");
    await mkdir(shipped, { recursive: true });
    await writeFile(path.join(shipped, "manifest.json"), '{"format":1,"models":[]}');
    await writeFile(path.join(shipped, "mobilenet-v2-abc.onnx"), "onnx");
    await writeFile(path.join(shipped, "inception-v3-mixed5-def.onnx"), "big");
    const targets = (await plan({ modelFiles: [path.join(shipped, "mobilenet-v2-abc.onnx")] })).files.map(
      (f) => f.target,
    );
    expect(targets).toEqual(
      expect.arrayContaining(["app/dist/models/manifest.json", "app/dist/models/mobilenet-v2-abc.onnx"]),
    );
    // Only the model the index needs rides along, and nothing lands in the image's cache.
    expect(targets.filter((t) => t.includes("models/"))).toHaveLength(2);
  });

  it("keeps the other architecture's binaries when the engine is arm64", async () => {
    const targets = (await plan({ arch: "arm64" })).files.map((f) => f.target);
    expect(targets).toContain(
      "app/node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node",
    );
    expect(targets.some((t) => t.includes("linux/x64"))).toBe(false);
  });

  it("without an index still creates index/ (mounted at run time) and renders the Dockerfile", async () => {
    const p = await plan();
    expect(p.files.some((f) => f.target.startsWith("index/"))).toBe(false);
    expect(p.dirs).toContain("index");
    expect(p.generated).toEqual([{ target: "Dockerfile", content: "FROM x" }]);
  });

  it("says to build first when dist/ is missing, and rejects a folder that is not an index", async () => {
    await expect(plan({ indexDir: path.join(tmp.dir, "app", "bin") })).rejects.toBeInstanceOf(UsageError);
    await rm(path.join(app.appRoot, "dist", "web"), { recursive: true });
    await expect(plan()).rejects.toThrow(/dist\/web\/index\.html is missing/);
    await rm(path.join(app.appRoot, "dist"), { recursive: true });
    await expect(plan()).rejects.toThrow(MosaicError);
    await expect(plan()).rejects.toMatchObject({ hint: expect.stringContaining("npm run build") });
  });

  it("needs no lockfile, and names a missing dependency with a reinstall hint", async () => {
    const targets = (await plan()).files.map((f) => f.target);
    expect(targets.some((t) => t.includes("package-lock"))).toBe(false);
    await rm(path.join(app.appRoot, "node_modules", "prod", "node_modules", "nested"), { recursive: true });
    await expect(plan()).rejects.toMatchObject({
      message: "nested, a dependency of prod, is not installed",
      hint: expect.stringContaining("reinstall"),
    });
  });
});

describe("hashContext", () => {
  it("depends on content and build args, not on file dates", async () => {
    const first = await hashContext(await plan(), { BASE_IMAGE: "a" });
    const past = new Date("2001-01-01");
    await utimes(path.join(app.appRoot, "dist", "src", "cli.js"), past, past);
    expect(await hashContext(await plan(), { BASE_IMAGE: "a" })).toBe(first);
    expect(await hashContext(await plan(), { BASE_IMAGE: "b" })).not.toBe(first);
    await writeFile(path.join(app.appRoot, "dist", "src", "cli.js"), "console.log('changed');\n");
    expect(await hashContext(await plan(), { BASE_IMAGE: "a" })).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
  });
});
