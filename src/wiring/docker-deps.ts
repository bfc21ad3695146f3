import {
  type ContainerServeFlags,
  type ContainerServeOptions,
  containerServeOptions,
} from "../docker/container-serve-options.js";
import type { DockerDeps } from "../docker/docker-deps.js";
import { tmpdir } from "node:os";
import { appInstall } from "../docker/app-root.js";
import type { BuildImageOptions } from "../docker/build-image.js";
import { DEFAULT_BASE_IMAGE, DEFAULT_GPU_TAG, DEFAULT_TAG } from "../docker/labels.js";
import { modelFiles } from "../docker/model-files.js";
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

/** The image flags `docker build` and `deploy local` share. */
export interface ImageFlags {
  tag?: string | undefined;
  gpu?: boolean | undefined;
  baseImage?: string | undefined;
  network?: string | undefined;
}

/**
 * What `docker build` and `deploy local` build from: the tag (default by --gpu), the base image, mosaic's
 * own install, the model files for `indexDir` (converted first unless `convert` is false: a dry run).
 */
export function imageBuildOptions(
  ctx: Context,
  deps: DockerDeps,
  flags: ImageFlags,
  indexDir: string | undefined,
  convert?: boolean,
): Omit<BuildImageOptions, "reuse" | "templatesDir"> {
  const app = appInstall();
  return {
    tag: flags.tag ?? (flags.gpu ? DEFAULT_GPU_TAG : DEFAULT_TAG),
    gpu: flags.gpu === true,
    baseImage: baseImageOf(flags.baseImage, ctx),
    indexDir,
    appRoot: app.root,
    mosaicVersion: app.version,
    tmpDir: tmpdir(),
    modelFiles: () =>
      modelFiles({
        indexDir,
        cacheDir: ctx.cacheDir,
        step: deps.step,
        log: deps.log,
        convert,
        signal: ctx.signal,
      }),
    network: flags.network ?? ctx.io.env.MOSAIC_DOCKER_NETWORK,
  };
}
