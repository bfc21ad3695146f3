import path from "node:path";
import type { Command } from "commander";
import type { SampleSearch } from "../src/deploy/deploy-local.js";
import type { ContainerServeFlags } from "../src/docker/container-serve-options.js";
import type { CliIo } from "../src/wiring/io.js";
import { type AksAdapters, aksCommand } from "./deploy-aks.js";
import { BASE_IMAGE_HELP, withRunFlags } from "./docker.js";
import { withContext } from "./with-context.js";

interface LocalFlags extends ContainerServeFlags {
  tag?: string;
  port?: number;
  gpu?: boolean;
  index?: string;
  baseImage?: string;
  bind: string;
  network?: string;
  readyTimeout: number;
  cacheDir?: string;
}

export function deployCommand(parent: Command, io: CliIo, aksAdapters?: AksAdapters): Command {
  const deploy = parent.command("deploy").description("Deploy the search service");
  // A deployment keeps its earlier port unless one is asked for (then 8890): no default here.
  const local = withRunFlags(deploy.command("local"), {})
    .description(
      "Build the image if its inputs changed, (re)start container mosaic-local on the same port, wait for /readyz and run a sample query",
    )
    .option("-i, --index <dir>", "index to serve (default: the configured index, .mosaic/index)")
    .option("--base-image <image>", BASE_IMAGE_HELP)
    .option("--cache-dir <dir>", "model cache the converted model is taken from");
  local.action(async (flags: LocalFlags, command: Command) => {
    await withContext(io, command, { index: flags.index, cacheDir: flags.cacheDir }, async (ctx) => {
      const { createDockerDeps, imageBuildOptions, serveOptionsOf } = await import(
        "../src/wiring/docker-deps.js"
      );
      const { deployLocal } = await import("../src/deploy/deploy-local.js");
      const { queryService } = await import("../src/server/service-client.js");
      const deps = createDockerDeps(ctx);
      const serve = serveOptionsOf(flags, ctx);
      const indexDir = path.resolve(ctx.cwd, ctx.config.index);
      const image = imageBuildOptions(ctx, deps, flags, indexDir);
      const sampleSearch: SampleSearch = async (url, id, signal) => {
        // The key the container was given (-e MOSAIC_API_KEY=…) wins over this shell's.
        const apiKey = serve.env.MOSAIC_API_KEY ?? io.env.MOSAIC_API_KEY;
        const { result } = await queryService(url, { id, n: 5, apiKey, signal });
        return { matches: result.matches, results: result.hits.map((h) => ({ id: h.id, score: h.score })) };
      };
      const deployment = await deployLocal(
        { ...deps, sampleSearch },
        {
          ...image,
          indexDir,
          port: flags.port,
          bindAddress: flags.bind,
          readyTimeoutMs: flags.readyTimeout * 1000,
          env: serve.env,
          inheritEnv: serve.inheritEnv,
          serveArgs: serve.serveArgs,
        },
      );
      ctx.out(ctx.json ? JSON.stringify(deployment) : deployment.url);
    });
  });
  aksCommand(deploy, io, aksAdapters);
  return deploy;
}
