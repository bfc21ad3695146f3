import { describe, expect, it } from "vitest";
import { createDockerCli } from "../../src/infra/docker-cli.js";
import { dockerFailure } from "../../src/infra/docker-process.js";
import { type InProcessOptions, runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { writeFakeDocker } from "../helpers/fake-docker-bin.js";
import { PortInUseError } from "../../src/docker/port-in-use-error.js";

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

describe("docker CLI adapter: run (recorded argv of a stand-in docker binary)", () => {
  const request = {
    image: "mosaic:latest",
    name: "mosaic-local",
    labels: { "mosaic.managed": "true" },
    env: { MOSAIC_ENGINE: "exact" },
    inheritEnv: ["MOSAIC_API_KEY"],
    ports: [{ hostIp: "127.0.0.1", hostPort: 8890, containerPort: 8890 }],
    mounts: [],
    gpus: false,
  };

  it("passes inherited variables by name only, the value reaching docker through its environment", async () => {
    const tmp = await makeTempDir("mosaic-fake-docker-");
    try {
      const fake = await writeFakeDocker(tmp.dir, [{ prefix: ["run"], stdout: "f00d\n", cid: "f00d" }]);
      const cli = createDockerCli({
        env: { PATH: process.env.PATH, MOSAIC_DOCKER_BIN: fake.bin, MOSAIC_API_KEY: "s3cret" },
      });
      expect(await cli.run(request)).toBe("f00d");
      const [call] = await fake.calls();
      expect(call!.argv).toContain("MOSAIC_API_KEY");
      expect(call!.argv.join(" ")).not.toContain("s3cret");
      expect(call!.argv.join(" ")).toContain("--env MOSAIC_ENGINE=exact");
      expect(call!.apiKey).toBe("s3cret");
    } finally {
      await tmp.cleanup();
    }
  });

  it("a port held elsewhere: removes the created container and says which port, not docker's usage footer", async () => {
    const tmp = await makeTempDir("mosaic-fake-docker-");
    try {
      const fake = await writeFakeDocker(tmp.dir, [
        {
          prefix: ["run"],
          code: 125,
          cid: "c0ffee",
          stderr:
            "docker: Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint mosaic-local (1234): Bind for 127.0.0.1:8890 failed: port is already allocated\n\nRun 'docker run --help' for more information\n",
        },
      ]);
      const cli = createDockerCli({ env: { PATH: process.env.PATH, MOSAIC_DOCKER_BIN: fake.bin } });
      const error = await cli.run(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as PortInUseError).message).toBe(
        "Port 8890 on 127.0.0.1 is already in use (another container publishes it)",
      );
      expect((await fake.calls()).map((c) => c.argv.slice(0, 3))).toEqual([
        ["run", "--detach", "--cidfile"],
        ["rm", "--force", "c0ffee"],
      ]);
    } finally {
      await tmp.cleanup();
    }
  });

  it("reads the host ports of ps rows", async () => {
    const tmp = await makeTempDir("mosaic-fake-docker-");
    try {
      const row = {
        ID: "abc",
        Names: "web",
        Image: "nginx",
        State: "running",
        CreatedAt: "2026-12-06 12:00:00 +0000 UTC",
        Labels: "",
        Ports: "127.0.0.1:8890->80/tcp, [::]:8891->80/tcp",
      };
      const fake = await writeFakeDocker(tmp.dir, [{ prefix: ["ps"], stdout: `${JSON.stringify(row)}\n` }]);
      const cli = createDockerCli({ env: { PATH: process.env.PATH, MOSAIC_DOCKER_BIN: fake.bin } });
      expect((await cli.ps({}))[0]!.hostPorts).toEqual([8890, 8891]);
    } finally {
      await tmp.cleanup();
    }
  });
});
