import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { throwIfAborted } from "../errors.js";
import type { DockerDeps } from "./docker-deps.js";
import { hashContext } from "./hash-context.js";
import { checkImageRef } from "./image-ref.js";
import { LABELS } from "./labels.js";
import { planContext } from "./plan-context.js";
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

/**
 * `mosaic docker build`: renders the Dockerfile, decides the build context (only what the image needs),
 * hashes it, and builds it through the runtime with the hash as a label, streaming build output to
 * `deps.log`. The staged context is removed afterwards, whatever happens.
 */
export async function buildImage(deps: DockerDeps, options: BuildImageOptions): Promise<BuiltImage> {
  const tag = checkImageRef(options.tag, "--tag");
  const baseImage = checkImageRef(options.baseImage, "--base-image");
  const engine = await deps.runtime.info(deps.signal);
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
      arch: engine.arch,
    }),
  );
  const buildArgs = { BASE_IMAGE: baseImage };
  const contextHash = await deps.step(`Hashing ${plan.files.length} context files`, () =>
    hashContext(plan, buildArgs),
  );
  throwIfAborted(deps.signal);

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
