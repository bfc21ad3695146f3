import { readdir, readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BuildImageOptions, buildImage } from "../../src/docker/build-image.js";
import { UsageError } from "../../src/errors.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { writeFakeApp } from "./fake-app.js";
import { FakeRuntime, fakeDeps } from "./fake-runtime.js";

let tmp: { dir: string; cleanup: () => Promise<void> };
let app: Awaited<ReturnType<typeof writeFakeApp>>;
beforeEach(async () => {
  tmp = await makeTempDir("mosaic-build-");
  app = await writeFakeApp(tmp.dir);
});
afterEach(() => tmp.cleanup());

const options = (extra: Partial<BuildImageOptions> = {}): BuildImageOptions => ({
  tag: "mosaic:test",
  gpu: false,
  baseImage: "mosaic-test-base:bookworm",
  indexDir: app.indexDir,
  appRoot: app.appRoot,
  mosaicVersion: "9.9.9",
  tmpDir: tmp.dir,
  modelFiles: async () => [app.model],
  ...extra,
});

describe("buildImage", () => {
  it("builds the staged context with the base image arg, labels and network, then removes it", async () => {
    const runtime = new FakeRuntime();
    let staged: string[] = [];
    let dockerfile = "";
    const build = runtime.build.bind(runtime);
    runtime.build = async (request, onLine) => {
      staged = await readdir(request.contextDir);
      dockerfile = await readFile(`${request.contextDir}/Dockerfile`, "utf8");
      return build(request, onLine);
    };
    const deps = fakeDeps(runtime);
    const built = await buildImage(deps, options({ network: "host" }));

    expect(built).toMatchObject({ tag: "mosaic:test", built: true, imageId: "sha256:image1" });
    expect(staged.sort()).toEqual(["Dockerfile", "app", "cache", "index"]);
    expect(dockerfile).toContain("ARG BASE_IMAGE=mosaic-test-base:bookworm");
    const request = runtime.builds[0]!;
    expect(request.buildArgs).toEqual({ BASE_IMAGE: "mosaic-test-base:bookworm" });
    expect(request.network).toBe("host");
    expect(request.labels).toMatchObject({
      "mosaic.managed": "true",
      "mosaic.context-hash": built.contextHash,
      "mosaic.variant": "cpu",
    });
    expect(deps.lines).toContain("Step 1/1 : FROM base");
    expect((await readdir(tmp.dir)).filter((n) => n.startsWith("mosaic-context-"))).toEqual([]);
  });

  it("with reuse, skips the build while the inputs are unchanged", async () => {
    const runtime = new FakeRuntime();
    const deps = fakeDeps(runtime);
    const first = await buildImage(deps, options({ reuse: true }));
    const second = await buildImage(deps, options({ reuse: true }));
    expect(second).toMatchObject({ built: false, contextHash: first.contextHash, imageId: first.imageId });
    expect(runtime.builds).toHaveLength(1);
    const gpu = await buildImage(deps, options({ reuse: true, gpu: true }));
    expect(gpu.built).toBe(true);
    expect(runtime.builds[1]!.labels["mosaic.variant"]).toBe("gpu");
  });

  it("checks the engine before converting models, and rejects bad image references", async () => {
    const runtime = new FakeRuntime();
    const order: string[] = [];
    runtime.info = async () => {
      order.push("info");
      return { serverVersion: "1", arch: "x64" };
    };
    await buildImage(
      fakeDeps(runtime),
      options({
        modelFiles: async () => {
          order.push("models");
          return [];
        },
      }),
    );
    expect(order).toEqual(["info", "models"]);
    await expect(
      buildImage(fakeDeps(runtime), options({ baseImage: "node:20\nRUN evil" })),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(buildImage(fakeDeps(runtime), options({ tag: "Bad Tag" }))).rejects.toThrow(/--tag/);
  });
});
