import path from "node:path";
import type { BuildImageOptions, BuiltImage } from "../docker/build-image.js";
import { buildImage } from "../docker/build-image.js";
import type { DockerDeps } from "../docker/docker-deps.js";
import { CONTAINER_PORT, LABELS } from "../docker/labels.js";
import { type RunningContainer, runContainer } from "../docker/run-container.js";
import { firstRecordId } from "../vector-index/first-record-id.js";

/** The container `mosaic deploy local` owns; re-running replaces it. */
export const LOCAL_CONTAINER = "mosaic-local";

/** A search by id against the running service; the CLI wires `mosaic query --service`'s client. */
export type SampleSearch = (
  url: string,
  id: string,
  signal?: AbortSignal,
) => Promise<{ matches: number; results: { id: string; score: number }[] }>;

export interface DeployLocalDeps extends DockerDeps {
  sampleSearch: SampleSearch;
}

export interface DeployLocalOptions extends Omit<BuildImageOptions, "reuse" | "indexDir"> {
  /** The index baked into the image (it must exist: a local deployment serves it). */
  indexDir: string;
  /** Host port; default: the previous deployment's, else 8890. */
  port?: number | undefined;
  bindAddress: string;
  readyTimeoutMs: number;
  /** The container's environment, by value and by name (see RunContainerOptions). */
  env?: Record<string, string> | undefined;
  inheritEnv?: string[] | undefined;
  /** Extra `mosaic serve` arguments. */
  serveArgs?: string[] | undefined;
}

export interface LocalDeployment {
  url: string;
  container: RunningContainer;
  image: BuiltImage;
  /** The sample query's outcome; undefined when the index has no records. */
  sample: { id: string; matches: number; results: { id: string; score: number }[] } | undefined;
}

/**
 * `mosaic deploy local`: builds the image when no image with this context hash exists, replaces the
 * `mosaic-local` container (keeping its host port unless another is asked for), waits for /readyz and
 * runs one sample search by the index's first artwork id.
 */
export async function deployLocal(
  deps: DeployLocalDeps,
  options: DeployLocalOptions,
): Promise<LocalDeployment> {
  const indexDir = path.resolve(options.indexDir);
  const image = await buildImage(deps, { ...options, indexDir, reuse: true });
  const previous = await deps.runtime.inspectContainer(LOCAL_CONTAINER, deps.signal);
  const port =
    options.port ??
    portFrom(previous?.labels[LABELS.port]) ??
    previous?.ports.find((p) => p.containerPort === CONTAINER_PORT)?.hostPort ??
    CONTAINER_PORT;
  const container = await runContainer(deps, {
    image: image.tag,
    name: LOCAL_CONTAINER,
    port,
    bindAddress: options.bindAddress,
    gpu: options.gpu,
    network: options.network,
    readyTimeoutMs: options.readyTimeoutMs,
    env: options.env ?? {},
    inheritEnv: options.inheritEnv,
    serveArgs: options.serveArgs,
  });

  let sample: LocalDeployment["sample"];
  const id = await firstRecordId(indexDir);
  if (id !== undefined) {
    // A ready service whose search fails is not a working deployment: its error propagates (the
    // container stays up for inspection).
    deps.log(`Sample query: POST ${container.url}/v1/search {"id":${JSON.stringify(id)}}`);
    const outcome = await deps.sampleSearch(container.url, id, deps.signal);
    sample = { id, ...outcome };
    for (const r of outcome.results.slice(0, 5)) deps.log(`  ${r.score.toFixed(4)}  ${r.id}`);
  }
  return { url: container.url, container, image, sample };
}

function portFrom(label: string | undefined): number | undefined {
  const n = Number(label);
  return label !== undefined && Number.isInteger(n) && n > 0 && n < 65_536 ? n : undefined;
}
