import { describe, expect, it } from "vitest";
import { createDockerCli } from "../../src/infra/docker-cli.js";
import { dockerFailure } from "../../src/infra/docker-process.js";
import { type InProcessOptions, runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";

/** The docker CLI needs this process's PATH (and DOCKER_HOST, if set). */
const runMosaic = (argv: string[], options: InProcessOptions) =>
  runCliInProcess(argv, { inheritEnv: true, ...options });

describe("docker CLI adapter errors", () => {
  it("turns an unreachable daemon into the start-Docker hint", () => {
    const error = dockerFailure(["version"], {
      code: 1,
      stdout: "",
      stderr:
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
    });
    expect(error.message).toBe("No Docker daemon is reachable");
    expect(error.hint).toBe("start Docker / dockerd, or set DOCKER_HOST");
  });

  it("names the last lines of any other failure", () => {
    const error = dockerFailure(["rm"], { code: 1, stdout: "", stderr: "warning\nError: something broke\n" });
    expect(error.message).toBe("docker rm failed (exit 1): warning | Error: something broke");
  });

  it("says so when the docker CLI is missing", async () => {
    const cli = createDockerCli({ env: { ...process.env, MOSAIC_DOCKER_BIN: "/nonexistent/docker" } });
    await expect(cli.info()).rejects.toThrow(/docker CLI \(\/nonexistent\/docker\) was not found/);
  });
});

describe("docker and deploy commands: argument handling", () => {
  const run = async (argv: string[]) => {
    const tmp = await makeTempDir("mosaic-docker-cmd-");
    try {
      return await runMosaic(argv, { cwd: tmp.dir, env: { MOSAIC_DOCKER_BIN: "/nonexistent/docker" } });
    } finally {
      await tmp.cleanup();
    }
  };

  it("rejects bad values with exit 2 before touching Docker", async () => {
    expect((await run(["docker", "run", "--port", "0"])).code).toBe(2);
    expect((await run(["docker", "run", "--ready-timeout", "soon"])).code).toBe(2);
    expect((await run(["deploy", "local", "--port", "70000"])).code).toBe(2);
    const noCommand = await run(["docker", "exec", "last"]);
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain("mosaic docker exec last -- node --version");
    const badBase = await run(["docker", "build", "--base-image", "bad image"]);
    expect(badBase.code).toBe(2);
    expect(badBase.stderr).toContain("--base-image");
  });

  it("lists build, run and exec under docker, and local under deploy", async () => {
    expect((await run(["docker", "--help"])).stdout).toMatch(/build[\s\S]*run[\s\S]*exec/);
    expect((await run(["deploy", "--help"])).stdout).toContain("local");
  });
});
