import { describe, expect, it } from "vitest";
import { pushImage, pushTarget } from "../../src/docker/push-image.js";
import { MosaicError, UsageError } from "../../src/errors.js";
import { createDockerCli } from "../../src/infra/docker-cli.js";
import { writeFakeDocker } from "../helpers/fake-docker-bin.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { FakeRuntime, fakeDeps } from "./fake-runtime.js";

/**
 * No registry can be reached here (and none can be pulled to run one locally), so `docker push` is tested
 * against the fake runtime and, for the adapter, the argv a stand-in docker binary records.
 */
describe("pushTarget", () => {
  it.each([
    ["mosaic:latest", "myreg.azurecr.io", "myreg.azurecr.io/mosaic:latest"],
    ["mosaic:latest", "myreg.azurecr.io/", "myreg.azurecr.io/mosaic:latest"],
    ["mosaic:latest-gpu", "myreg.azurecr.io/team", "myreg.azurecr.io/team/mosaic:latest-gpu"],
    ["mosaic", "localhost:5000", "localhost:5000/mosaic:latest"],
    ["mosaic:latest", "myreg.azurecr.io/mosaic:1.0", "myreg.azurecr.io/mosaic:1.0"],
    ["local/mosaic:2", "localhost:5000/art", "localhost:5000/art/mosaic:2"],
  ])("%s to %s → %s", (image, registry, target) => {
    expect(pushTarget(image, registry)).toBe(target);
  });

  it("refuses an unfilled placeholder and a bare name", () => {
    expect(() => pushTarget("mosaic:latest", "<registry>.azurecr.io")).toThrow(/placeholder/);
    expect(() => pushTarget("mosaic:latest", "myreg")).toThrow(UsageError);
    expect(() => pushTarget("mosaic:latest", "myreg")).toThrow(/not a registry host/);
  });
});

describe("pushImage", () => {
  it("tags, then pushes the registry's reference, streaming docker's lines", async () => {
    const runtime = new FakeRuntime();
    runtime.images.set("mosaic:latest", { id: "sha256:1", labels: {}, created: "" });
    const deps = fakeDeps(runtime);
    const pushed = await pushImage(deps, { image: "mosaic:latest", registry: "myreg.azurecr.io" });
    expect(pushed).toEqual({
      source: "mosaic:latest",
      target: "myreg.azurecr.io/mosaic:latest",
      digest: "sha256:feed",
    });
    expect(runtime.calls).toEqual([
      "tag mosaic:latest myreg.azurecr.io/mosaic:latest",
      "push myreg.azurecr.io/mosaic:latest",
    ]);
    expect(deps.lines).toContain("abc123: Pushed");
  });

  it("names a missing image and how to build it", async () => {
    const error = await pushImage(fakeDeps(new FakeRuntime()), {
      image: "mosaic:latest",
      registry: "myreg.azurecr.io",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MosaicError);
    expect((error as MosaicError).hint).toContain("mosaic docker build --tag mosaic:latest");
  });
});

describe("docker push through the CLI adapter (recorded argv)", () => {
  it("runs docker tag then docker push, and reads the digest", async () => {
    const tmp = await makeTempDir("mosaic-push-");
    try {
      const digest = `sha256:${"ab".repeat(32)}`;
      const fake = await writeFakeDocker(tmp.dir, [
        { prefix: ["image", "inspect"], stdout: '{"Id":"sha256:1","Created":"now","Config":{"Labels":{}}}' },
        {
          prefix: ["push"],
          stdout: `The push refers to repository [myreg.azurecr.io/mosaic]\nlatest: digest: ${digest} size: 1570\n`,
        },
      ]);
      const result = await runCliInProcess(["--json", "docker", "push", "myreg.azurecr.io"], {
        cwd: tmp.dir,
        inheritEnv: true,
        env: { MOSAIC_DOCKER_BIN: fake.bin },
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        source: "mosaic:latest",
        target: "myreg.azurecr.io/mosaic:latest",
        digest,
      });
      expect((await fake.calls()).map((c) => c.argv)).toEqual([
        ["image", "inspect", "--format", "{{json .}}", "mosaic:latest"],
        ["tag", "mosaic:latest", "myreg.azurecr.io/mosaic:latest"],
        ["push", "myreg.azurecr.io/mosaic:latest"],
      ]);
    } finally {
      await tmp.cleanup();
    }
  });

  it("an unauthorised push says how to log in to that registry", async () => {
    const tmp = await makeTempDir("mosaic-push-");
    try {
      const fake = await writeFakeDocker(tmp.dir, [
        {
          prefix: ["push"],
          code: 1,
          stderr: "unauthorized: authentication required, visit https://aka.ms/acr/authorization\n",
        },
      ]);
      const cli = createDockerCli({ env: { PATH: process.env.PATH, MOSAIC_DOCKER_BIN: fake.bin } });
      const error = await cli.push("myreg.azurecr.io/mosaic:1", () => {}).catch((e: unknown) => e);
      expect((error as MosaicError).message).toContain("myreg.azurecr.io refused the push");
      expect((error as MosaicError).hint).toContain("az acr login --name myreg");
    } finally {
      await tmp.cleanup();
    }
  });

  it("a placeholder registry is a usage error (exit 2) before docker runs", async () => {
    const tmp = await makeTempDir("mosaic-push-");
    try {
      const fake = await writeFakeDocker(tmp.dir, []);
      const result = await runCliInProcess(["docker", "push", "<registry>.azurecr.io"], {
        cwd: tmp.dir,
        inheritEnv: true,
        env: { MOSAIC_DOCKER_BIN: fake.bin },
      });
      expect(result.code).toBe(2);
      expect(await fake.calls()).toEqual([]);
    } finally {
      await tmp.cleanup();
    }
  });
});
