import { execFile } from "node:child_process";
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { docker, engineAnswers, freePort } from "./engine.js";

const exec = promisify(execFile);
/** A few-KB image holding this machine's sleep(1) and the libraries it links: no registry, no debootstrap. */
const image = `mosaic-sleep:${process.pid}`;
const holder = `mosaic-port-holder-${process.pid}`;
const attempt = `mosaic-port-attempt-${process.pid}`;
const bridge = process.env.MOSAIC_DOCKER_NETWORK !== "host";

async function importSleepImage(dir: string): Promise<void> {
  const root = path.join(dir, "rootfs");
  const { stdout } = await exec("ldd", ["/usr/bin/sleep"]);
  const files = ["/usr/bin/sleep", ...[...stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1]!)];
  for (const file of new Set(files)) {
    await mkdir(path.join(root, path.dirname(file)), { recursive: true });
    await copyFile(file, path.join(root, file));
  }
  await exec("sh", [
    "-c",
    `tar -C ${root} -c . | docker import --change 'CMD ["/usr/bin/sleep","300"]' - ${image}`,
  ]);
}

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  if (!(await engineAnswers()))
    throw new Error("No Docker engine answers: run this suite through scripts/with-dockerd.sh");
  tmp = await makeTempDir("mosaic-port-conflict-");
  await importSleepImage(tmp.dir);
}, 120_000);
afterAll(async () => {
  for (const name of [holder, attempt]) await docker("rm", "--force", name).catch(() => "");
  await docker("image", "rm", "--force", image).catch(() => "");
  await tmp?.cleanup();
});

describe.runIf(bridge)("a host port held by another container (real dockerd, bridge network)", () => {
  it("docker run names the holder and leaves no Created container behind", async () => {
    const port = await freePort();
    await docker("run", "--detach", "--name", holder, "--publish", `127.0.0.1:${port}:8890`, image);
    const run = await runCliInProcess(
      ["docker", "run", "--tag", image, "--port", String(port), "--name", attempt],
      {
        cwd: tmp.dir,
        inheritEnv: true,
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Port ${port} is held by container ${holder} (${image})`);
    expect(run.stderr).toContain(`docker stop ${holder}`);
    expect(run.stderr).not.toContain("Run 'docker run --help'");
    const left = await docker(
      "ps",
      "--all",
      "--filter",
      `name=${attempt}`,
      "--format",
      "{{.Names}} {{.State}}",
    );
    expect(left).toBe("");
  });
});
