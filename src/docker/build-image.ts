import { mkdtemp, rm, stat } from "node:fs/promises";
import path from "node:path";
import { throwIfAborted } from "../errors.js";
import type { DockerDeps } from "./docker-deps.js";
import { hashContext } from "./hash-context.js";
import { checkImageRef } from "./image-ref.js";
import { LABELS } from "./labels.js";
import { type ContextPlan, planContext } from "./plan-context.js";
import { renderDockerfile } from "./render-dockerfile.js";
import { writeContext } from "./write-context.js";

export interface BuildImageOptions {
  tag: string;
  gpu: boolean;
  baseImage: string;
  /** An index to bake in; undefined leaves /index to be mounted at run time. */
  indexDir?: string | undefined;
  /** mosaic's own install (package.json, dist/, node_modules/). */
  appRoot: string;
  mosaicVersion: string;
  /** Where the build context is staged (and removed afterwards). */
  tmpDir: string;
  /** The .onnx files to bake into the model cache (see modelFiles); asked once the engine answered. */
  modelFiles: () => Promise<string[]>;
  /** "host" when the engine has no bridge network. */
  network?: string | undefined;
  /** Skip the build when the tag already names an image built from this exact context. */
  reuse?: boolean;
  /** Dockerfile templates folder (tests). */
  templatesDir?: string;
}

export interface BuiltImage {
  tag: string;
  imageId: string;
  contextHash: string;
  /** false when an image with the same context hash was reused. */
  built: boolean;
  contextFiles: number;
}

/** What `mosaic docker build --dry-run` prints: the build as it would run, decided without an engine. */
export interface BuildPlan {
  tag: string;
  baseImage: string;
  gpu: boolean;
  /** The CPU architecture whose native binaries the context keeps. */
  arch: string;
  /** mosaic's install the image is made from (the clone, or the global/npm install). */
  appRoot: string;
  contextHash: string;
  contextFiles: number;
  contextBytes: number;
  /** node_modules packages taken from the installed tree. */
  packages: number;
  models: string[];
  dockerfile: string;
}

interface Prepared {
  tag: string;
  baseImage: string;
  plan: ContextPlan;
  buildArgs: Record<string, string>;
  contextHash: string;
  dockerfile: string;
  models: string[];
}

/** The steps a build and a dry run share: Dockerfile, model files, context plan and its hash. */
async function prepare(
  deps: Pick<DockerDeps, "step" | "signal">,
  options: BuildImageOptions,
  arch: string,
): Promise<Prepared> {
  const tag = checkImageRef(options.tag, "--tag");
  const baseImage = checkImageRef(options.baseImage, "--base-image");
  const dockerfile = await renderDockerfile(
    { gpu: options.gpu, baseImage, mosaicVersion: options.mosaicVersion },
    options.templatesDir,
  );
  const models = await options.modelFiles();
  const plan = await deps.step("Planning the build context", () =>
    planContext({
      appRoot: options.appRoot,
      dockerfile,
      indexDir: options.indexDir,
      modelFiles: models,
      arch,
    }),
  );
  const buildArgs = { BASE_IMAGE: baseImage };
  const contextHash = await deps.step(`Hashing ${plan.files.length} context files`, () =>
    hashContext(plan, buildArgs),
  );
  throwIfAborted(deps.signal);
  return { tag, baseImage, plan, buildArgs, contextHash, dockerfile, models };
}

/**
 * `mosaic docker build --dry-run`: everything a build decides (Dockerfile, context, hash) without an
 * engine or writing anything; native binaries are picked for `arch` (the host's, by default).
 */
export async function planBuild(
  deps: Pick<DockerDeps, "step" | "signal">,
  options: BuildImageOptions,
  arch: string,
): Promise<BuildPlan> {
  const p = await prepare(deps, options, arch);
  let contextBytes = 0;
  for (const file of p.plan.files) contextBytes += (await stat(file.source)).size;
  return {
    tag: p.tag,
    baseImage: p.baseImage,
    gpu: options.gpu,
    arch,
    appRoot: options.appRoot,
    contextHash: p.contextHash,
    contextFiles: p.plan.files.length,
    contextBytes,
    packages: p.plan.packages,
    models: p.models,
    dockerfile: p.dockerfile,
  };
}

/**
 * `mosaic docker build`: renders the Dockerfile, decides the build context (only what the image needs),
 * hashes it, and builds it through the runtime with the hash as a label, streaming build output to
 * `deps.log`. The staged context is removed afterwards, whatever happens.
 */
export async function buildImage(deps: DockerDeps, options: BuildImageOptions): Promise<BuiltImage> {
  checkImageRef(options.tag, "--tag");
  checkImageRef(options.baseImage, "--base-image");
  const engine = await deps.runtime.info(deps.signal);
  const { tag, baseImage, plan, buildArgs, contextHash } = await prepare(deps, options, engine.arch);

  if (options.reuse) {
    const existing = await deps.runtime.inspectImage(tag, deps.signal);
    if (existing?.labels[LABELS.contextHash] === contextHash) {
      deps.log(`${tag} is up to date (context ${contextHash.slice(0, 12)}); not rebuilding`);
      return { tag, imageId: existing.id, contextHash, built: false, contextFiles: plan.files.length };
    }
  }

  const dir = await mkdtemp(path.join(options.tmpDir, "mosaic-context-"));
  try {
    await deps.step("Staging the build context", () => writeContext(plan, dir));
    deps.log(`Building ${tag} from ${baseImage} (docker ${engine.serverVersion}, ${engine.arch})`);
    const { imageId } = await deps.runtime.build(
      {
        contextDir: dir,
        tag,
        buildArgs,
        labels: {
          [LABELS.managed]: "true",
          [LABELS.contextHash]: contextHash,
          [LABELS.variant]: options.gpu ? "gpu" : "cpu",
          "org.opencontainers.image.version": options.mosaicVersion,
          "org.opencontainers.image.title": "mosaic",
        },
        network: options.network,
      },
      deps.log,
      deps.signal,
    );
    return { tag, imageId, contextHash, built: true, contextFiles: plan.files.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
