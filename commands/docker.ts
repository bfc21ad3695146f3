import path from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { ContainerServeFlags } from "../src/docker/container-serve-options.js";
import { DEFAULT_BASE_IMAGE, DEFAULT_GPU_TAG, DEFAULT_TAG } from "../src/docker/labels.js";
import type { CliIo } from "../src/wiring/io.js";
import { collect, positiveInt } from "./parse-flags.js";
import { withContext } from "./with-context.js";

interface BuildFlags {
  tag?: string;
  gpu?: boolean;
  index?: string;
  baseImage?: string;
  network?: string;
  cacheDir?: string;
  dryRun?: boolean;
}

interface RunFlags extends ContainerServeFlags {
  tag?: string;
  port: number;
  gpu?: boolean;
  detach?: boolean;
  name?: string;
  index?: string;
  bind: string;
  network?: string;
  readyTimeout: number;
}

export function dockerCommand(parent: Command, io: CliIo): Command {
  const docker = parent
    .command("docker")
    .description(
      "Build and run mosaic's service image on a Docker engine (docker CLI; DOCKER_HOST honoured)",
    );

  docker
    .command("build")
    .description(
      "Build the service image: mosaic, its production dependencies, the model and (optionally) an index",
    )
    .option("-t, --tag <image>", `image name (default ${DEFAULT_TAG}, ${DEFAULT_GPU_TAG} with --gpu)`)
    .option("--gpu", "GPU image (Vulkan loader for ONNX Runtime's WebGPU provider)")
    .option("-i, --index <dir>", "bake this index into the image (otherwise mount one at run time)")
    .option("--base-image <image>", BASE_IMAGE_HELP)
    .option("--network <mode>", "network for RUN steps, e.g. host (default $MOSAIC_DOCKER_NETWORK)")
    .option("--cache-dir <dir>", "model cache the converted model is taken from")
    .option("--dry-run", "print the Dockerfile and what the context would hold; no engine needed")
    .action(async (flags: BuildFlags, command: Command) => {
      await withContext(io, command, { cacheDir: flags.cacheDir }, async (ctx) => {
        const { createDockerDeps, imageBuildOptions } = await import("../src/wiring/docker-deps.js");
        const { buildImage, planBuild } = await import("../src/docker/build-image.js");
        const { formatBuildPlan } = await import("../src/docker/format-build-plan.js");
        const deps = createDockerDeps(ctx);
        const indexDir = flags.index === undefined ? undefined : path.resolve(ctx.cwd, flags.index);
        const options = imageBuildOptions(ctx, deps, flags, indexDir, !flags.dryRun);
        if (flags.dryRun) {
          const plan = await planBuild(deps, options, process.arch);
          ctx.out(ctx.json ? JSON.stringify(plan) : formatBuildPlan(plan));
          return;
        }
        const image = await buildImage(deps, options);
        ctx.out(ctx.json ? JSON.stringify(image) : image.tag);
      });
    });
  withRunFlags(docker.command("run"))
    .description("Run the service image, wait for /readyz and print its URL (foreground unless --detach)")
    .option("-d, --detach", "leave it running in the background and return")
    .option("--name <name>", "container name (an earlier mosaic container of that name is replaced)")
    .option("-i, --index <dir>", "mount this index at /index (read-only), over any baked-in one")
    .action(async (flags: RunFlags, command: Command) => {
      await withContext(io, command, {}, async (ctx) => {
        const { createDockerDeps, serveOptionsOf } = await import("../src/wiring/docker-deps.js");
        const { followContainer } = await import("../src/docker/follow-container.js");
        const { runContainer } = await import("../src/docker/run-container.js");
        const deps = createDockerDeps(ctx);
        const serve = serveOptionsOf(flags, ctx);
        const container = await runContainer(deps, {
          env: serve.env,
          inheritEnv: serve.inheritEnv,
          serveArgs: serve.serveArgs,
          image: flags.tag ?? (flags.gpu ? DEFAULT_GPU_TAG : DEFAULT_TAG),
          name: flags.name,
          port: flags.port,
          bindAddress: flags.bind,
          gpu: flags.gpu === true,
          network: flags.network ?? ctx.io.env.MOSAIC_DOCKER_NETWORK,
          indexDir: flags.index === undefined ? undefined : path.resolve(ctx.cwd, flags.index),
          readyTimeoutMs: flags.readyTimeout * 1000,
          removeOnFailure: !flags.detach,
        });
        ctx.out(ctx.json ? JSON.stringify(container) : container.url);
        if (!flags.detach) {
          deps.log(`${container.name} is serving at ${container.url}; Ctrl-C stops and removes it`);
          await followContainer(deps, container);
        }
      });
    });
  docker
    .command("push")
    .description(
      "Tag the service image for a registry and push it (docker CLI; log in first: az acr login / docker login)",
    )
    .argument(
      "<registry>",
      "registry (myreg.azurecr.io, localhost:5000, optionally /path) keeping the image's name:tag, or a full ref myreg.azurecr.io/mosaic:1",
    )
    .option(
      "-t, --tag <image>",
      `local image to push (default ${DEFAULT_TAG}, ${DEFAULT_GPU_TAG} with --gpu)`,
    )
    .option("--gpu", "push the GPU image")
    .action(async (registry: string, flags: { tag?: string; gpu?: boolean }, command: Command) => {
      await withContext(io, command, {}, async (ctx) => {
        const { createDockerDeps } = await import("../src/wiring/docker-deps.js");
        const { pushImage } = await import("../src/docker/push-image.js");
        const pushed = await pushImage(createDockerDeps(ctx), {
          image: flags.tag ?? (flags.gpu ? DEFAULT_GPU_TAG : DEFAULT_TAG),
          registry,
        });
        ctx.out(ctx.json ? JSON.stringify(pushed) : pushed.target);
      });
    });
  docker
    .command("exec")
    .description("Run a command in a container (`last`: the newest one mosaic started); exits with its code")
    .argument("<container>", "container name or id, or `last`")
    .argument("[command...]", "the command, after --")
    .usage("<container|last> -- <command...>")
    .action(async (container: string, commandArgs: string[], _flags: unknown, command: Command) => {
      await withContext(io, command, {}, async (ctx) => {
        const { createDockerDeps } = await import("../src/wiring/docker-deps.js");
        const { execInContainer } = await import("../src/docker/exec-in-container.js");
        await execInContainer(createDockerDeps(ctx), {
          container,
          command: commandArgs,
          // A terminal only when there is one to hand over: `-it` with piped stdin would fail.
          tty: process.stdin.isTTY === true,
        });
      });
    });
  return docker;
}

export const BASE_IMAGE_HELP = `base image with Node 20, already on the engine when it is offline (default: docker.baseImage, else ${DEFAULT_BASE_IMAGE})`;

/** Flags `docker run` shares with `deploy local`. */
export function withRunFlags(command: Command, defaults: { port?: number } = { port: 8890 }): Command {
  return command
    .option("-t, --tag <image>", `image to run (default ${DEFAULT_TAG}, ${DEFAULT_GPU_TAG} with --gpu)`)
    .option("-p, --port <port>", "host port to publish the service on", port, defaults.port)
    .option("--gpu", "give the container every GPU (--gpus all; NVIDIA Container Toolkit)")
    .option("--bind <address>", "host address to publish on (0.0.0.0: every interface)", "127.0.0.1")
    .option("--network <mode>", "container network, e.g. host (default $MOSAIC_DOCKER_NETWORK)")
    .option("--ready-timeout <seconds>", "how long to wait for /readyz", positiveInt, 120)
    .option(
      "-e, --env <NAME[=VALUE]>",
      "set a variable in the container; NAME alone copies this shell's value (off the command line); repeat",
      collect,
    )
    .option(
      "--allow-host <name>",
      "serve --allow-host: image host exempt from the private-address block; repeat",
      collect,
    )
    .option(
      "--allow-cidr <range>",
      "serve --allow-cidr: address range exempt from the block; repeat",
      collect,
    )
    .option("--max-results <n>", "serve --max-results: largest n a request may ask for", positiveInt)
    .addOption(
      new Option("--engine <engine>", "serve --engine: search engine in the container").choices([
        "auto",
        "exact",
        "balltree",
        "hnsw",
      ]),
    )
    .addHelpText(
      "after",
      "\nMOSAIC_API_KEY, when set here, is passed to the container by name (its value never on a command line):\nthe service's search routes then require the x-api-key header.",
    );
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65_535)
    throw new InvalidArgumentError(`expected a port 1-65535, got "${value}"`);
  return n;
}
