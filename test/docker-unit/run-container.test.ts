import { describe, expect, it } from "vitest";
import { execInContainer } from "../../src/docker/exec-in-container.js";
import { followContainer } from "../../src/docker/follow-container.js";
import { type RunContainerOptions, runContainer } from "../../src/docker/run-container.js";
import { ExternalError, MosaicError, UsageError } from "../../src/errors.js";
import { FakeRuntime, fakeDeps } from "./fake-runtime.js";

const withImage = () => {
  const runtime = new FakeRuntime();
  runtime.images.set("mosaic:latest", { id: "sha256:1", labels: {}, created: "" });
  return runtime;
};
const options = (extra: Partial<RunContainerOptions> = {}): RunContainerOptions => ({
  image: "mosaic:latest",
  port: 8890,
  bindAddress: "127.0.0.1",
  gpu: false,
  readyTimeoutMs: 10_000,
  ...extra,
});

describe("runContainer", () => {
  it("publishes the port on the bind address, labels the container and waits for /readyz", async () => {
    const runtime = withImage();
    const deps = fakeDeps(runtime, { statuses: [undefined, 503, 503] });
    const running = await runContainer(deps, options({ port: 9000, indexDir: "/data/idx", gpu: true }));
    expect(running.url).toBe("http://127.0.0.1:9000");
    expect(deps.probes).toEqual(Array(4).fill("http://127.0.0.1:9000/readyz"));
    const request = runtime.runs[0]!;
    expect(request.ports).toEqual([{ hostIp: "127.0.0.1", hostPort: 9000, containerPort: 8890 }]);
    expect(request.labels).toEqual({ "mosaic.managed": "true", "mosaic.port": "9000" });
    expect(request.mounts).toEqual([{ source: "/data/idx", target: "/index" }]);
    expect(request.gpus).toBe(true);
    expect(request.command).toBeUndefined();
  });

  it("on the host network has serve bind the port itself", async () => {
    const runtime = withImage();
    await runContainer(fakeDeps(runtime), options({ network: "host", port: 9100 }));
    const request = runtime.runs[0]!;
    expect(request.ports).toEqual([]);
    expect(request.command).toEqual(["serve", "--host", "127.0.0.1", "--port", "9100"]);
    expect(request.env).toEqual({ MOSAIC_HTTP_PORT: "9100" });
  });

  it("fails with the container's logs when it stops before ready, or after the timeout", async () => {
    const runtime = withImage();
    runtime.runState = "exited";
    const deps = fakeDeps(runtime, { statuses: [undefined] });
    await expect(runContainer(deps, options())).rejects.toThrow(/stopped \(exit code 1\)/);
    expect(deps.lines).toEqual(expect.arrayContaining(["line one", "line two"]));

    const slow = withImage();
    const slowDeps = fakeDeps(slow, { statuses: Array(100).fill(503) });
    const error = await runContainer(slowDeps, options({ readyTimeoutMs: 2_000 })).catch((e) => e);
    expect(error).toBeInstanceOf(ExternalError);
    expect(error.message).toMatch(/did not become ready within 2s/);
    expect(error.hint).toMatch(/docker logs -f/);
  });

  it("names a missing image and how to build it", async () => {
    const error = await runContainer(fakeDeps(new FakeRuntime()), options({ gpu: true })).catch((e) => e);
    expect(error).toBeInstanceOf(MosaicError);
    expect(error.hint).toContain("mosaic docker build --tag mosaic:latest --gpu");
  });

  it("replaces an earlier mosaic container of the same name but never a user's own", async () => {
    const runtime = withImage();
    await runContainer(fakeDeps(runtime), options({ name: "svc" }));
    const firstId = runtime.containers.get("svc")!.id;
    await runContainer(fakeDeps(runtime), options({ name: "svc" }));
    expect(runtime.calls).toContain(`rm ${firstId}`);
    runtime.containers.get("svc")!.labels = {};
    await expect(runContainer(fakeDeps(runtime), options({ name: "svc" }))).rejects.toThrow(
      /not made by mosaic/,
    );
  });
});

describe("execInContainer", () => {
  it("resolves `last` to the newest running mosaic container and passes a non-zero exit code on", async () => {
    const runtime = withImage();
    await runContainer(fakeDeps(runtime), options({ name: "older" }));
    await runContainer(fakeDeps(runtime), options({ name: "newer", port: 8891 }));
    await execInContainer(fakeDeps(runtime), {
      container: "last",
      command: ["node", "--version"],
      tty: false,
    });
    expect(runtime.execs[0]).toEqual({ container: "newer", command: ["node", "--version"], tty: false });

    runtime.execCode = 3;
    const error = await execInContainer(fakeDeps(runtime), {
      container: "older",
      command: ["sh", "-c", "exit 3"],
      tty: true,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ExternalError);
    expect(error.exitCode).toBe(3);
    expect(runtime.execs[1]!.tty).toBe(true);
  });

  it("needs a command, and a running container for `last`", async () => {
    const runtime = new FakeRuntime();
    await expect(
      execInContainer(fakeDeps(runtime), { container: "x", command: [], tty: false }),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(
      execInContainer(fakeDeps(runtime), { container: "last", command: ["ls"], tty: false }),
    ).rejects.toThrow(/No running container made by mosaic/);
  });
});

describe("followContainer", () => {
  it("removes the container when interrupted", async () => {
    const runtime = withImage();
    const running = await runContainer(fakeDeps(runtime), options());
    const controller = new AbortController();
    controller.abort();
    await followContainer(fakeDeps(runtime, { signal: controller.signal }), running);
    expect(runtime.calls).toContain(`rm ${running.id}`);
  });

  it("fails with the exit code of a container that stops by itself", async () => {
    const runtime = withImage();
    const running = await runContainer(fakeDeps(runtime), options());
    runtime.containers.get(running.name)!.exitCode = 7;
    await expect(followContainer(fakeDeps(runtime), running)).rejects.toMatchObject({ exitCode: 7 });
  });
});

describe("runContainer in the foreground", () => {
  it("removes its container when the wait for /readyz fails or is interrupted", async () => {
    const runtime = withImage();
    runtime.runState = "exited";
    const deps = fakeDeps(runtime, { statuses: [undefined] });
    await expect(runContainer(deps, options({ removeOnFailure: true }))).rejects.toThrow(/stopped/);
    expect(runtime.containers.size).toBe(0);

    const running = withImage();
    const controller = new AbortController();
    controller.abort();
    await expect(
      runContainer(fakeDeps(running, { signal: controller.signal }), options({ removeOnFailure: true })),
    ).rejects.toThrow(/Interrupted/);
    expect(running.containers.size).toBe(0);
  });
});

describe("runContainer: serve options, environment and a held port", () => {
  it("passes serve arguments after the image's host and port, and environment by name", async () => {
    const runtime = withImage();
    await runContainer(
      fakeDeps(runtime),
      options({
        serveArgs: ["--allow-host", "images.corp"],
        inheritEnv: ["MOSAIC_API_KEY"],
        env: { A: "1" },
      }),
    );
    const request = runtime.runs[0]!;
    expect(request.command).toEqual([
      "serve",
      "--host",
      "0.0.0.0",
      "--port",
      "8890",
      "--allow-host",
      "images.corp",
    ]);
    expect(request.inheritEnv).toEqual(["MOSAIC_API_KEY"]);
    expect(request.env).toEqual({ A: "1" });
    const host = withImage();
    await runContainer(
      fakeDeps(host),
      options({ network: "host", port: 9100, serveArgs: ["--engine", "exact"] }),
    );
    expect(host.runs[0]!.command).toEqual([
      "serve",
      "--host",
      "127.0.0.1",
      "--port",
      "9100",
      "--engine",
      "exact",
    ]);
  });

  it("names the container that holds the port and leaves no container behind", async () => {
    const runtime = withImage();
    runtime.containers.set("web", {
      id: "abc",
      name: "web",
      image: "nginx:1",
      state: "running",
      exitCode: 0,
      health: undefined,
      labels: {},
      ports: [{ hostIp: "0.0.0.0", hostPort: 8890, containerPort: 80 }],
    });
    const error = await runContainer(fakeDeps(runtime), options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MosaicError);
    expect((error as MosaicError).message).toBe("Port 8890 is held by container web (nginx:1)");
    expect((error as MosaicError).hint).toContain("docker stop web");
    expect([...runtime.containers.keys()]).toEqual(["web"]);
  });
});
