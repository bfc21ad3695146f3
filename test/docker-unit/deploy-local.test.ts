import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DeployLocalOptions, deployLocal, LOCAL_CONTAINER } from "../../src/deploy/deploy-local.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { writeFakeApp } from "./fake-app.js";
import { FakeRuntime, fakeDeps } from "./fake-runtime.js";

let tmp: { dir: string; cleanup: () => Promise<void> };
let app: Awaited<ReturnType<typeof writeFakeApp>>;
beforeEach(async () => {
  tmp = await makeTempDir("mosaic-deploy-");
  app = await writeFakeApp(tmp.dir);
});
afterEach(() => tmp.cleanup());

const options = (extra: Partial<DeployLocalOptions> = {}): DeployLocalOptions => ({
  tag: "mosaic:latest",
  gpu: false,
  baseImage: "mosaic-test-base:bookworm",
  indexDir: app.indexDir,
  appRoot: app.appRoot,
  mosaicVersion: "9.9.9",
  tmpDir: tmp.dir,
  modelFiles: async () => [app.model],
  bindAddress: "127.0.0.1",
  readyTimeoutMs: 5_000,
  ...extra,
});

function deps(runtime: FakeRuntime) {
  const searches: { url: string; id: string }[] = [];
  return {
    searches,
    deps: {
      ...fakeDeps(runtime),
      sampleSearch: async (url: string, id: string) => {
        searches.push({ url, id });
        return { matches: 1, results: [{ id: "second-2", score: 0.9 }] };
      },
    },
  };
}

describe("deployLocal", () => {
  it("builds, runs mosaic-local on 8890 and searches by the first artwork id", async () => {
    const runtime = new FakeRuntime();
    const { deps: d, searches } = deps(runtime);
    const deployment = await deployLocal(d, options());
    expect(deployment.url).toBe("http://127.0.0.1:8890");
    expect(deployment.image.built).toBe(true);
    expect(deployment.container.name).toBe(LOCAL_CONTAINER);
    expect(searches).toEqual([{ url: "http://127.0.0.1:8890", id: "first-1" }]);
    expect(deployment.sample).toEqual({
      id: "first-1",
      matches: 1,
      results: [{ id: "second-2", score: 0.9 }],
    });
  });

  it("re-running reuses the image, replaces the container and keeps its port", async () => {
    const runtime = new FakeRuntime();
    const first = await deployLocal(deps(runtime).deps, options({ port: 9123 }));
    const second = await deployLocal(deps(runtime).deps, options());
    expect(runtime.builds).toHaveLength(1);
    expect(second.image.built).toBe(false);
    expect(second.container.port).toBe(9123);
    expect(runtime.calls).toContain(`rm ${first.container.id}`);
    expect([...runtime.containers.keys()]).toEqual([LOCAL_CONTAINER]);
    const third = await deployLocal(deps(runtime).deps, options({ port: 9200 }));
    expect(third.url).toBe("http://127.0.0.1:9200");
  });

  it("with the port held by another container: a clear message and no leftover container", async () => {
    const runtime = new FakeRuntime();
    runtime.containers.set("other", {
      id: "c0",
      name: "other",
      image: "someone/app:2",
      state: "running",
      exitCode: 0,
      health: undefined,
      labels: {},
      ports: [{ hostIp: "127.0.0.1", hostPort: 8890, containerPort: 3000 }],
    });
    const { deps: d, searches } = deps(runtime);
    await expect(deployLocal(d, options())).rejects.toThrow(
      "Port 8890 is held by container other (someone/app:2)",
    );
    expect([...runtime.containers.keys()]).toEqual(["other"]);
    expect(searches).toEqual([]);
  });

  it("gives the container the serve options and environment", async () => {
    const runtime = new FakeRuntime();
    await deployLocal(
      deps(runtime).deps,
      options({ serveArgs: ["--allow-cidr", "10.0.0.0/8"], inheritEnv: ["MOSAIC_API_KEY"] }),
    );
    expect(runtime.runs[0]!.command).toEqual([
      "serve",
      "--host",
      "0.0.0.0",
      "--port",
      "8890",
      "--allow-cidr",
      "10.0.0.0/8",
    ]);
    expect(runtime.runs[0]!.inheritEnv).toEqual(["MOSAIC_API_KEY"]);
  });
});
