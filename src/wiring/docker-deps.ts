import {
  type ContainerServeFlags,
  type ContainerServeOptions,
  containerServeOptions,
} from "../docker/container-serve-options.js";
import type { DockerDeps } from "../docker/docker-deps.js";
import { DEFAULT_BASE_IMAGE } from "../docker/labels.js";
import { createDockerCli } from "../infra/docker-cli.js";
import { httpStatus, sleep } from "../infra/docker-http-probe.js";
import type { Context } from "./context.js";

/** The real outside world for docker/ and deploy/ core: docker CLI, reporter steps, log lines as reporter events. */
export function createDockerDeps(ctx: Context): DockerDeps {
  return {
    runtime: createDockerCli({ env: ctx.io.env, stdout: ctx.io.stdout, stderr: ctx.io.stderr }),
    log: (line) => ctx.reporter.emit({ type: "log", line }),
    step: (label, work) => ctx.reporter.step(label, work),
    probe: httpStatus,
    sleep,
    now: () => Date.now(),
    signal: ctx.signal,
  };
}

/** Container env and serve arguments from the run flags; says what it takes from this environment. */
export function serveOptionsOf(flags: ContainerServeFlags, ctx: Context): ContainerServeOptions {
  const options = containerServeOptions(flags, ctx.io.env);
  for (const line of options.notes) ctx.reporter.emit({ type: "log", line });
  return options;
}

/** --base-image, else the config's docker.baseImage (file or MOSAIC_DOCKER__BASE_IMAGE), else node:20-bookworm-slim. */
export function baseImageOf(flag: string | undefined, ctx: Context): string {
  return flag ?? ctx.config.docker?.baseImage ?? DEFAULT_BASE_IMAGE;
}
