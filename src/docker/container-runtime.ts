/**
 * The port through which mosaic's container orchestration talks to an engine. The Docker CLI adapter
 * (src/infra/docker-cli.ts) implements it; unit tests pass a hand-written fake.
 */
export interface ContainerRuntime {
  /** The engine's identity; throws ExternalError when no daemon answers. */
  info(signal?: AbortSignal): Promise<EngineInfo>;
  /** Builds `contextDir` (its Dockerfile), streaming progress lines to `onLine`. */
  build(request: BuildRequest, onLine: (line: string) => void, signal?: AbortSignal): Promise<BuildResult>;
  /** Starts a detached container and returns its id. */
  run(request: RunRequest, signal?: AbortSignal): Promise<string>;
  /** Runs a command in a running container; resolves with its exit code (never throws for non-zero). */
  exec(request: ExecRequest, signal?: AbortSignal): Promise<number>;
  /** undefined when no image has that name or id. */
  inspectImage(ref: string, signal?: AbortSignal): Promise<ImageInfo | undefined>;
  /** undefined when no container has that name or id. */
  inspectContainer(ref: string, signal?: AbortSignal): Promise<ContainerInfo | undefined>;
  /** Containers (running or not) carrying every label in `labels` (every container for {}), newest first. */
  ps(labels: Record<string, string>, signal?: AbortSignal): Promise<ContainerSummary[]>;
  /** Removes a container, stopping it first; a missing container is not an error. */
  rm(ref: string, signal?: AbortSignal): Promise<void>;
  /** Gives image `source` the additional name `target` (`docker tag`). */
  tag(source: string, target: string, signal?: AbortSignal): Promise<void>;
  /** Pushes `ref` to its registry, streaming progress lines; resolves with the pushed digest when shown. */
  push(
    ref: string,
    onLine: (line: string) => void,
    signal?: AbortSignal,
  ): Promise<{ digest: string | undefined }>;
  /** Removes an image by name or id; a missing image is not an error. */
  rmi(ref: string, signal?: AbortSignal): Promise<void>;
  /** The container's last `tail` log lines (stdout and stderr interleaved). */
  logs(ref: string, tail: number, signal?: AbortSignal): Promise<string>;
  /** Streams the container's log lines until it exits or `signal` fires. */
  followLogs(ref: string, onLine: (line: string) => void, signal?: AbortSignal): Promise<void>;
}

export interface EngineInfo {
  serverVersion: string;
  /** Node's name for the engine's CPU architecture ("x64", "arm64"), to pick native binaries. */
  arch: string;
}

export interface BuildRequest {
  contextDir: string;
  tag: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  /** "host" when the engine has no bridge network (RUN steps then share the host's). */
  network?: string | undefined;
}

export interface BuildResult {
  imageId: string;
}

export interface PortBinding {
  hostIp: string;
  hostPort: number;
  containerPort: number;
}

export interface RunRequest {
  image: string;
  name?: string | undefined;
  labels: Record<string, string>;
  env: Record<string, string>;
  /** Ignored on the host network, where the container binds host ports itself. */
  ports: PortBinding[];
  /** host path → container path, read-only. */
  mounts: { source: string; target: string }[];
  network?: string | undefined;
  /** Request every GPU (`--gpus all`, NVIDIA Container Toolkit). */
  gpus: boolean;
  /**
   * Variables the container takes from the environment of the docker CLI itself (`--env NAME`): their
   * values (an API key) never appear on a command line.
   */
  inheritEnv?: string[] | undefined;
  /** Replaces the image's CMD. */
  command?: string[] | undefined;
}

export interface ExecRequest {
  container: string;
  command: string[];
  /** Allocate a TTY and attach stdin (`-it`); only when stdin is a terminal. */
  tty: boolean;
}

export interface ImageInfo {
  id: string;
  labels: Record<string, string>;
  created: string;
}

export type ContainerState = "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  state: ContainerState;
  exitCode: number;
  health: "starting" | "healthy" | "unhealthy" | undefined;
  labels: Record<string, string>;
  ports: PortBinding[];
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  state: string;
  createdAt: string;
  labels: Record<string, string>;
  /** Host ports it publishes (running containers only hold theirs). */
  hostPorts?: number[];
}
