import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type {
  BuildRequest,
  ContainerInfo,
  ContainerRuntime,
  ContainerState,
  ContainerSummary,
  EngineInfo,
  ExecRequest,
  ImageInfo,
  PortBinding,
  RunRequest,
} from "../docker/container-runtime.js";
import { PortInUseError } from "../docker/port-in-use-error.js";
import { ExternalError } from "../errors.js";
import { type DockerProcessResult, dockerFailure, lastLines, runDockerProcess } from "./docker-process.js";

export interface DockerCliOptions {
  env: Record<string, string | undefined>;
  /** The docker binary; default "docker" (or $MOSAIC_DOCKER_BIN). */
  bin?: string;
  /** Where `exec` copies a non-interactive command's output. */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

const GO_ARCH: Record<string, string> = { amd64: "x64", arm64: "arm64", arm: "arm", "386": "ia32" };

/**
 * ContainerRuntime over the docker CLI: the one place mosaic spawns `docker`. Works with any engine the
 * CLI reaches (DOCKER_HOST, contexts), with BuildKit (plain progress) or the classic builder.
 */
export function createDockerCli(options: DockerCliOptions): ContainerRuntime {
  const bin = options.bin ?? options.env.MOSAIC_DOCKER_BIN ?? "docker";
  const env = { ...options.env, BUILDKIT_PROGRESS: options.env.BUILDKIT_PROGRESS ?? "plain" };
  const docker = (args: string[], signal?: AbortSignal, extra: { onLine?: (line: string) => void } = {}) =>
    runDockerProcess(args, { bin, env, signal, onLine: extra.onLine });
  const ok = async (args: string[], signal?: AbortSignal): Promise<DockerProcessResult> => {
    const result = await docker(args, signal);
    if (result.code !== 0) throw dockerFailure(args, result);
    return result;
  };
  /** Runs an inspect-like command; undefined when the object does not exist. */
  const inspect = async (args: string[], signal?: AbortSignal): Promise<unknown> => {
    const result = await docker(args, signal);
    if (result.code !== 0) {
      if (/no such (image|container|object)/i.test(result.stderr)) return undefined;
      throw dockerFailure(args, result);
    }
    return JSON.parse(result.stdout);
  };

  return {
    async info(signal) {
      const args = ["version", "--format", "{{json .Server}}"];
      const result = await docker(args, signal);
      const server = result.code === 0 ? (JSON.parse(result.stdout) as ServerJson | null) : null;
      if (!server) throw dockerFailure(args, result);
      return {
        serverVersion: server.Version,
        arch: GO_ARCH[server.Arch] ?? server.Arch,
      } satisfies EngineInfo;
    },

    async build(request: BuildRequest, onLine, signal) {
      const iidFile = `${request.contextDir.replace(/\/$/, "")}.iid`;
      const args = ["build", "--tag", request.tag, "--iidfile", iidFile];
      for (const [k, v] of Object.entries(request.buildArgs)) args.push("--build-arg", `${k}=${v}`);
      for (const [k, v] of Object.entries(request.labels)) args.push("--label", `${k}=${v}`);
      if (request.network) args.push("--network", request.network);
      args.push(request.contextDir);
      try {
        const result = await docker(args, signal, { onLine });
        if (result.code !== 0) throw buildFailure(args, result);
        return { imageId: (await readFile(iidFile, "utf8")).trim() };
      } finally {
        await rm(iidFile, { force: true });
      }
    },

    async run(request: RunRequest, signal) {
      // The id is written as soon as the container is created: a start that fails (a port held by
      // someone else) must not leave a `Created` container behind.
      const cidDir = await mkdtemp(path.join(tmpdir(), "mosaic-cid-"));
      const cidFile = path.join(cidDir, "cid");
      const args = ["run", "--detach", "--cidfile", cidFile];
      if (request.name) args.push("--name", request.name);
      for (const [k, v] of Object.entries(request.labels)) args.push("--label", `${k}=${v}`);
      for (const [k, v] of Object.entries(request.env)) args.push("--env", `${k}=${v}`);
      for (const name of request.inheritEnv ?? []) args.push("--env", name);
      if (request.network) args.push("--network", request.network);
      if (request.network !== "host") {
        for (const p of request.ports) args.push("--publish", `${p.hostIp}:${p.hostPort}:${p.containerPort}`);
      }
      for (const m of request.mounts)
        args.push("--mount", `type=bind,source=${m.source},target=${m.target},readonly`);
      if (request.gpus) args.push("--gpus", "all");
      args.push(request.image, ...(request.command ?? []));
      try {
        const result = await docker(args, signal);
        if (result.code !== 0) {
          const created = (await readFile(cidFile, "utf8").catch(() => "")).trim();
          if (created) await docker(["rm", "--force", created]);
          throw runFailure(args, result, request);
        }
        return result.stdout.trim().split(/\s+/).pop() ?? "";
      } finally {
        await rm(cidDir, { recursive: true, force: true });
      }
    },

    async exec(request: ExecRequest, signal) {
      const args = ["exec", ...(request.tty ? ["--interactive", "--tty"] : []), request.container];
      args.push(...request.command);
      const result = await runDockerProcess(args, {
        bin,
        env,
        signal,
        inheritStdio: request.tty,
        stdout: options.stdout,
        stderr: options.stderr,
      });
      // docker exec exits 1 for its own errors too; tell those apart from the command's exit 1.
      if (
        result.code !== 0 &&
        /^Error response from daemon|Cannot connect to the Docker daemon/m.test(result.stderr)
      ) {
        if (/No such container|is not running/i.test(result.stderr)) {
          throw new ExternalError(`Cannot exec in ${request.container}: ${lastLines(result.stderr, 1)}`, {
            hint: "List running containers with `docker ps`; `last` picks the newest one mosaic started.",
          });
        }
        throw dockerFailure(args, result);
      }
      return result.code;
    },

    async inspectImage(ref, signal) {
      const json = (await inspect(["image", "inspect", "--format", "{{json .}}", ref], signal)) as ImageJson;
      if (!json) return undefined;
      return { id: json.Id, labels: json.Config?.Labels ?? {}, created: json.Created } satisfies ImageInfo;
    },

    async inspectContainer(ref, signal) {
      const json = (await inspect(
        ["container", "inspect", "--format", "{{json .}}", ref],
        signal,
      )) as ContainerJson;
      if (!json) return undefined;
      return toContainerInfo(json);
    },

    async ps(labels, signal) {
      const args = ["ps", "--all", "--no-trunc", "--format", "{{json .}}"];
      for (const [k, v] of Object.entries(labels)) args.push("--filter", `label=${k}=${v}`);
      const result = await ok(args, signal);
      return result.stdout
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => toSummary(JSON.parse(l) as PsJson))
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    },

    async rm(ref, signal) {
      const args = ["rm", "--force", ref];
      const result = await docker(args, signal);
      if (result.code !== 0 && !/no such container/i.test(result.stderr)) throw dockerFailure(args, result);
    },

    async tag(source, target, signal) {
      await ok(["tag", source, target], signal);
    },

    async push(ref, onLine, signal) {
      const args = ["push", ref];
      const result = await docker(args, signal, { onLine });
      if (result.code !== 0) throw pushFailure(args, result, ref);
      // "1: digest: sha256:… size: 1234"
      const digest = /digest: (sha256:[a-f0-9]{64})/.exec(result.stdout)?.[1];
      return { digest };
    },

    async rmi(ref, signal) {
      const args = ["image", "rm", "--force", ref];
      const result = await docker(args, signal);
      if (result.code !== 0 && !/no such image/i.test(result.stderr)) throw dockerFailure(args, result);
    },

    async logs(ref, tail, signal) {
      const result = await ok(["logs", "--tail", String(tail), ref], signal);
      return `${result.stdout}${result.stderr}`;
    },

    async followLogs(ref, onLine, signal) {
      const args = ["logs", "--follow", ref];
      const result = await docker(args, signal, { onLine });
      if (result.code !== 0) throw dockerFailure(args, result);
    },
  };
}

function buildFailure(args: string[], result: DockerProcessResult): ExternalError {
  const generic = dockerFailure(args, result);
  if (generic.message === "No Docker daemon is reachable") return generic;
  const text = `${result.stderr}\n${result.stdout}`;
  const pull =
    /pull access denied|failed to resolve|manifest unknown|not found: manifest|no such host|dial tcp|TLS handshake|i\/o timeout/i;
  return new ExternalError(`docker build failed (exit ${result.code}): ${lastLines(text, 2)}`, {
    hint: pull.test(text)
      ? "The base image could not be pulled: pass --base-image with an image this engine already has (see `docker images`)."
      : "The build output above shows the failing step.",
  });
}

function pushFailure(args: string[], result: DockerProcessResult, ref: string): ExternalError {
  const generic = dockerFailure(args, result);
  if (generic.message === "No Docker daemon is reachable") return generic;
  const text = `${result.stderr}\n${result.stdout}`;
  const registry = ref.split("/")[0] ?? ref;
  const acr = /^([a-z0-9]+)\.azurecr\.io$/i.exec(registry)?.[1];
  const login = acr ? `az acr login --name ${acr}` : `docker login ${registry}`;
  if (/unauthorized|authentication required|denied|no basic auth credentials|403 Forbidden/i.test(text)) {
    return new ExternalError(`${registry} refused the push of ${ref}: ${lastLines(text, 1)}`, {
      hint: `Log in first (${login}); the account needs push rights (AcrPush on an Azure Container Registry).`,
    });
  }
  if (
    /no such host|dial tcp|connection refused|i\/o timeout|TLS handshake|server gave HTTP response to HTTPS/i.test(
      text,
    )
  ) {
    return new ExternalError(`Cannot reach registry ${registry}: ${lastLines(text, 1)}`, {
      hint: "Check the registry name (an Azure Container Registry is <name>.azurecr.io) and your network.",
    });
  }
  return new ExternalError(`docker push failed (exit ${result.code}): ${lastLines(text, 2)}`);
}

function runFailure(args: string[], result: DockerProcessResult, request: RunRequest): ExternalError {
  const text = result.stderr;
  if (/port is already allocated|address already in use/i.test(text)) {
    // "Bind for 127.0.0.1:8890 failed: port is already allocated" names the one that failed.
    const bind = /Bind for (\S+):(\d+) failed|listen tcp4? (\S+):(\d+): bind/i.exec(text);
    const port = Number(bind?.[2] ?? bind?.[4]) || request.ports[0]?.hostPort || 0;
    const hostIp = bind?.[1] ?? bind?.[3] ?? request.ports[0]?.hostIp ?? "0.0.0.0";
    const detail = /port is already allocated/i.test(text)
      ? "another container publishes it"
      : "another program listens on it";
    return new PortInUseError(port, hostIp, detail);
  }
  if (
    /could not select device driver .*gpu|nvidia-container-cli|unknown or invalid runtime name: nvidia/i.test(
      text,
    )
  ) {
    return new ExternalError(`This engine cannot give containers a GPU: ${lastLines(text, 1)}`, {
      hint: "Install the NVIDIA Container Toolkit and restart dockerd, or run without --gpu.",
    });
  }
  if (/Conflict\. The container name/i.test(text)) {
    return new ExternalError(`Container name ${request.name ?? ""} is taken: ${lastLines(text, 1)}`, {
      hint: "Remove the other container or choose another --name.",
    });
  }
  return dockerFailure(args, result);
}

interface ServerJson {
  Version: string;
  Arch: string;
}
interface ImageJson {
  Id: string;
  Created: string;
  Config?: { Labels?: Record<string, string> | null };
}
interface ContainerJson {
  Id: string;
  Name: string;
  Config: { Image: string; Labels?: Record<string, string> | null };
  State: { Status: ContainerState; ExitCode: number; Health?: { Status: ContainerInfo["health"] } };
  HostConfig?: { PortBindings?: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
}
interface PsJson {
  ID: string;
  Names: string;
  Image: string;
  State: string;
  CreatedAt: string;
  Labels: string;
  /** "127.0.0.1:8890->8890/tcp, [::]:8891->8890/tcp" */
  Ports?: string;
}

function toContainerInfo(json: ContainerJson): ContainerInfo {
  const ports: PortBinding[] = [];
  for (const [key, bindings] of Object.entries(json.HostConfig?.PortBindings ?? {})) {
    const containerPort = Number.parseInt(key, 10);
    for (const b of bindings ?? []) {
      ports.push({ hostIp: b.HostIp || "0.0.0.0", hostPort: Number(b.HostPort), containerPort });
    }
  }
  return {
    id: json.Id,
    name: json.Name.replace(/^\//, ""),
    image: json.Config.Image,
    state: json.State.Status,
    exitCode: json.State.ExitCode,
    health: json.State.Health?.Status,
    labels: json.Config.Labels ?? {},
    ports,
  };
}

function toSummary(json: PsJson): ContainerSummary {
  const labels: Record<string, string> = {};
  for (const pair of json.Labels ? json.Labels.split(",") : []) {
    const eq = pair.indexOf("=");
    if (eq > 0) labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return {
    id: json.ID,
    name: json.Names.split(",")[0] ?? json.Names,
    image: json.Image,
    state: json.State,
    // "2024-05-06 12:00:00 +0000 UTC" → an ISO-like string Date.parse understands.
    createdAt: json.CreatedAt.replace(/^(\S+) (\S+) ([+-]\d{2})(\d{2}).*$/, "$1T$2$3:$4"),
    labels,
    hostPorts: [...(json.Ports ?? "").matchAll(/:(\d+)->/g)].map((m) => Number(m[1])),
  };
}
