import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../helpers/temp-dir.js";
import { danglingImages, docker, engineAnswers, freePort } from "./engine.js";
import { type InProcessOptions, runCliInProcess } from "../helpers/run-cli-in-process.js";

/** The docker CLI needs this process's PATH (and DOCKER_HOST, if set). */
const runMosaic = (argv: string[], options: InProcessOptions) =>
  runCliInProcess(argv, { inheritEnv: true, ...options });

/**
 * mosaic docker build | run | exec and deploy local against a real engine (scripts/with-dockerd.sh).
 * No registry is needed: the base image is made offline by docker/make-test-base-image.sh and kept
 * between runs; MOSAIC_TEST_BASE_IMAGE=node:20-bookworm-slim uses the real one where it can be pulled.
 */
const exec = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
const baseImage = process.env.MOSAIC_TEST_BASE_IMAGE ?? "mosaic-test-base:bookworm";
const tag = `mosaic-e2e:${process.pid}`;
const runName = `mosaic-e2e-run-${process.pid}`;
const timings: string[] = [];

let tmp: { dir: string; cleanup: () => Promise<void> };
let indexDir: string;
let env: Record<string, string>;
let firstId: string;
let dangling: Set<string>;

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    timings.push(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  }
}

const mosaic = (argv: string[]) => runMosaic(argv, { cwd: tmp.dir, env });

beforeAll(async () => {
  if (!(await engineAnswers())) {
    throw new Error("No Docker engine answers: run this suite through scripts/with-dockerd.sh");
  }
  for (const built of ["dist/src/cli.js", "dist/commands/docker.js"]) {
    await readFile(path.join(repo, built)).catch(() => {
      throw new Error(`${built} is missing: run \`npm run build\` first (the image runs dist/)`);
    });
  }
  dangling = await danglingImages();
  if (!process.env.MOSAIC_TEST_BASE_IMAGE) {
    await timed("base image (debootstrap + import, or reuse)", () =>
      exec("bash", [path.join(repo, "docker/make-test-base-image.sh"), baseImage], { maxBuffer: 1 << 24 }),
    );
  }
  tmp = await makeTempDir("mosaic-docker-e2e-");
  indexDir = path.join(tmp.dir, "index");
  env = { MOSAIC_CACHE_DIR: path.join(tmp.dir, "cache") };
  await timed("featurize --limit 24", () =>
    exec(process.execPath, [path.join(repo, "bin/mosaic.js"), "featurize", "--limit", "24", "-o", indexDir], {
      cwd: tmp.dir,
      env: { ...process.env, ...env, NO_COLOR: "1" },
    }),
  );
  firstId = (
    JSON.parse((await readFile(path.join(indexDir, "records.jsonl"), "utf8")).split("\n")[0]!) as {
      id: string;
    }
  ).id;
});

afterAll(async () => {
  for (const name of [runName, "mosaic-local"]) await docker("rm", "--force", name).catch(() => "");
  await docker("image", "rm", "--force", tag).catch(() => "");
  // The classic builder leaves the first stage behind as an untagged image; remove only ours.
  const left = [...(await danglingImages())].filter((id) => !dangling.has(id));
  if (left.length > 0) await docker("image", "rm", "--force", ...left).catch(() => "");
  await tmp?.cleanup();
  console.log(
    `docker e2e timings (${process.env.MOSAIC_DOCKER_NETWORK ?? "bridge"} network):\n  ${timings.join("\n  ")}`,
  );
});

async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("mosaic on a real Docker engine", () => {
  it("docker build bakes the index and model into a labelled image", async () => {
    const run = await timed("docker build", () =>
      mosaic(["docker", "build", "--index", indexDir, "--base-image", baseImage, "--tag", tag]),
    );
    expect(run.stderr).toContain("Building");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(tag);
    const labels = JSON.parse(await docker("image", "inspect", "--format", "{{json .Config.Labels}}", tag));
    expect(labels).toMatchObject({ "mosaic.managed": "true", "mosaic.variant": "cpu" });
    expect(labels["mosaic.context-hash"]).toMatch(/^[0-9a-f]{32}$/);
    expect(await docker("image", "inspect", "--format", "{{.Config.User}}", tag)).toBe("10001:10001");
  });

  it("docker run serves /readyz and /v1/search; exec passes output and exit codes through", async () => {
    const port = await freePort();
    const run = await timed("docker run (to ready)", () =>
      mosaic(["docker", "run", "--tag", tag, "--detach", "--port", String(port), "--name", runName]),
    );
    expect(run.code, run.stderr).toBe(0);
    const url = run.stdout.trim();
    expect(url).toBe(`http://127.0.0.1:${port}`);

    const ready = await getJson(`${url}/readyz`);
    expect(ready).toMatchObject({ status: 200, body: { status: "ready", artworks: 24 } });
    const search = await getJson(`${url}/v1/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: firstId, n: 3 }),
    });
    expect(search.status).toBe(200);
    expect((search.body.results as unknown[]).length).toBe(3);

    const version = await mosaic(["docker", "exec", "last", "--", "node", "--version"]);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^v20\./);
    const uid = await mosaic(["docker", "exec", runName, "--", "id", "-u"]);
    expect(uid.stdout.trim()).toBe("10001");
    const three = await mosaic(["docker", "exec", "last", "--", "sh", "-c", "exit 3"]);
    expect(three.code).toBe(3);
  });

  it("docker run in the foreground follows the logs and removes the container on Ctrl-C", async () => {
    const port = await freePort();
    const name = `${runName}-fg`;
    const controller = new AbortController();
    let printed: () => void = () => {};
    const urlPrinted = new Promise<void>((resolve) => {
      printed = resolve;
    });
    const running = runMosaic(["docker", "run", "--tag", tag, "--port", String(port), "--name", name], {
      cwd: tmp.dir,
      env,
      signal: controller.signal,
      onStdout: (out) => {
        if (out.includes("http://")) printed();
      },
    });
    // The URL is printed once /readyz answered; then the command follows the logs until interrupted.
    await Promise.race([urlPrinted, running]);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    controller.abort();
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(`http://127.0.0.1:${port}`);
    expect(run.stderr).toContain(`Stopping ${name}`);
    expect(await docker("ps", "--all", "--quiet", "--filter", `name=^${name}$`)).toBe("");
  });

  it("deploy local reuses the image, and a second run replaces the container on the same port", async () => {
    const port = await freePort();
    const deploy = (extra: string[]) =>
      mosaic([
        "deploy",
        "local",
        "--json",
        "--index",
        indexDir,
        "--base-image",
        baseImage,
        "--tag",
        tag,
        ...extra,
      ]);
    const first = await timed("deploy local (first)", () => deploy(["--port", String(port)]));
    expect(first.code, first.stderr).toBe(0);
    const one = JSON.parse(first.stdout) as {
      url: string;
      image: { built: boolean };
      container: { id: string; name: string };
      sample: { id: string; results: unknown[] };
    };
    expect(one.url).toBe(`http://127.0.0.1:${port}`);
    expect(one.image.built).toBe(false); // same inputs as `docker build` above: same context hash
    expect(one.container.name).toBe("mosaic-local");
    expect(one.sample.id).toBe(firstId);
    expect(one.sample.results.length).toBeGreaterThan(0);

    const second = await timed("deploy local (replace)", () => deploy([]));
    expect(second.code, second.stderr).toBe(0);
    const two = JSON.parse(second.stdout) as typeof one;
    expect(two.url).toBe(one.url);
    expect(two.container.id).not.toBe(one.container.id);
    expect(await docker("ps", "--all", "--quiet", "--no-trunc", "--filter", "name=^mosaic-local$")).toBe(
      two.container.id,
    );
    expect((await getJson(`${two.url}/readyz`)).status).toBe(200);
  });

  it("fails clearly without a daemon", async () => {
    const run = await runMosaic(["docker", "build", "--tag", tag], {
      cwd: tmp.dir,
      env: { ...env, DOCKER_HOST: "unix:///nonexistent/docker.sock" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("No Docker daemon is reachable");
    expect(run.stderr).toContain("start Docker / dockerd, or set DOCKER_HOST");
  });
});
