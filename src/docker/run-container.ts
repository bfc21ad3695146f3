import path from "node:path";
import { MosaicError } from "../errors.js";
import type { RunRequest } from "./container-runtime.js";
import type { DockerDeps } from "./docker-deps.js";
import { checkContainerName, checkImageRef } from "./image-ref.js";
import { CONTAINER_PORT, LABELS } from "./labels.js";
import { PortInUseError } from "./port-in-use-error.js";
import { waitForReady } from "./wait-for-ready.js";

export interface RunContainerOptions {
  image: string;
  /** A fixed name; an earlier container mosaic made under it is replaced. */
  name?: string | undefined;
  /** Host port the service is published on. */
  port: number;
  /** Host address it is published on (127.0.0.1: this machine only). */
  bindAddress: string;
  gpu: boolean;
  /** "host" when the engine has no bridge network: the container then binds the host port itself. */
  network?: string | undefined;
  /** Mounted read-only at /index, over whatever index the image holds. */
  indexDir?: string | undefined;
  env?: Record<string, string>;
  /** Variables the container copies from mosaic's own environment by name (MOSAIC_API_KEY). */
  inheritEnv?: string[] | undefined;
  /** Extra `mosaic serve` arguments (--allow-host, --max-results …), after the image's host and port. */
  serveArgs?: string[] | undefined;
  readyTimeoutMs: number;
  /**
   * Remove the container when it fails to become ready or the wait is interrupted (a foreground run
   * owns its container). Otherwise it is left in place for inspection.
   */
  removeOnFailure?: boolean;
}

export interface RunningContainer {
  id: string;
  name: string;
  image: string;
  port: number;
  url: string;
}

/**
 * `mosaic docker run`: starts the image detached, labelled `mosaic.managed=true`, waits for /readyz
 * and returns the service URL. On failure the container's last logs are shown and, unless
 * `removeOnFailure`, it is left in place for inspection.
 */
export async function runContainer(
  deps: DockerDeps,
  options: RunContainerOptions,
): Promise<RunningContainer> {
  const image = checkImageRef(options.image, "--tag");
  const name = options.name === undefined ? undefined : checkContainerName(options.name, "--name");
  if (!(await deps.runtime.inspectImage(image, deps.signal))) {
    throw new MosaicError(`No image ${image}`, {
      hint: `Build it first: mosaic docker build --tag ${image}${options.gpu ? " --gpu" : ""}`,
    });
  }
  if (name !== undefined) await replaceContainer(deps, name);

  const hostNetwork = options.network === "host";
  const serveArgs = options.serveArgs ?? [];
  const request: RunRequest = {
    image,
    name,
    labels: { [LABELS.managed]: "true", [LABELS.port]: String(options.port) },
    env: { ...options.env, ...(hostNetwork ? { MOSAIC_HTTP_PORT: String(options.port) } : {}) },
    ports: hostNetwork
      ? []
      : [{ hostIp: options.bindAddress, hostPort: options.port, containerPort: CONTAINER_PORT }],
    mounts: options.indexDir ? [{ source: path.resolve(options.indexDir), target: "/index" }] : [],
    inheritEnv: options.inheritEnv,
    network: options.network,
    gpus: options.gpu,
    // On the host network there is no port mapping: serve binds the requested address and port itself.
    command: hostNetwork
      ? ["serve", "--host", options.bindAddress, "--port", String(options.port), ...serveArgs]
      : serveArgs.length > 0
        ? ["serve", "--host", "0.0.0.0", "--port", String(CONTAINER_PORT), ...serveArgs]
        : undefined,
  };
  const id = await deps.runtime.run(request, deps.signal).catch(async (error: unknown) => {
    throw error instanceof PortInUseError ? await whoHolds(deps, error) : error;
  });
  const info = await deps.runtime.inspectContainer(id, deps.signal);
  const shown = info?.name ?? name ?? id.slice(0, 12);
  const host = options.bindAddress === "0.0.0.0" ? "127.0.0.1" : options.bindAddress;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${options.port}`;
  try {
    await deps.step(`Waiting for ${shown} to be ready`, () =>
      waitForReady(deps, { container: id, url, timeoutMs: options.readyTimeoutMs }),
    );
  } catch (error) {
    if (options.removeOnFailure) await deps.runtime.rm(id); // not under a fired signal: removal must happen
    throw error;
  }
  return { id, name: shown, image, port: options.port, url };
}

/** Removes an earlier container of that name, but only one mosaic made: a user's own is an error. */
async function replaceContainer(deps: DockerDeps, name: string): Promise<void> {
  const existing = await deps.runtime.inspectContainer(name, deps.signal);
  if (!existing) return;
  if (existing.labels[LABELS.managed] !== "true") {
    throw new MosaicError(`A container named ${name} exists and was not made by mosaic`, {
      hint: `Remove it (docker rm -f ${name}) or choose another --name.`,
    });
  }
  deps.log(`Replacing container ${name} (${existing.id.slice(0, 12)})`);
  await deps.runtime.rm(existing.id, deps.signal);
}

/** Names the running container that holds the port, so the message says what to stop. */
async function whoHolds(deps: DockerDeps, error: PortInUseError): Promise<MosaicError> {
  const all = await deps.runtime.ps({}, deps.signal).catch(() => []);
  const holder = all.find((c) => c.state === "running" && c.hostPorts?.includes(error.port));
  if (!holder) return error;
  const mine = holder.labels[LABELS.managed] === "true";
  return new MosaicError(
    `Port ${error.port} is held by container ${holder.name} (${holder.image}${mine ? ", started by mosaic" : ""})`,
    {
      hint: `Stop it (docker stop ${holder.name}) or pass another --port; nothing was left behind by this attempt.`,
      cause: error,
    },
  );
}
