import type {
  BuildRequest,
  ContainerInfo,
  ContainerRuntime,
  ExecRequest,
  ImageInfo,
  RunRequest,
} from "../../src/docker/container-runtime.js";
import type { DockerDeps } from "../../src/docker/docker-deps.js";
import { PortInUseError } from "../../src/docker/port-in-use-error.js";

/** An in-memory engine recording every call; images and containers are plain maps tests can seed. */
export class FakeRuntime implements ContainerRuntime {
  calls: string[] = [];
  images = new Map<string, ImageInfo>();
  containers = new Map<string, ContainerInfo>();
  builds: BuildRequest[] = [];
  runs: RunRequest[] = [];
  execs: ExecRequest[] = [];
  execCode = 0;
  logsText = "line one\nline two\n";
  /** State a freshly run container reports. */
  runState: ContainerInfo["state"] = "running";
  private nextId = 1;

  async info() {
    this.calls.push("info");
    return { serverVersion: "fake-1.0", arch: "x64" };
  }
  async build(request: BuildRequest, onLine: (line: string) => void) {
    this.calls.push(`build ${request.tag}`);
    this.builds.push(request);
    onLine("Step 1/1 : FROM base");
    const id = `sha256:image${this.nextId++}`;
    this.images.set(request.tag, { id, labels: { ...request.labels }, created: "now" });
    return { imageId: id };
  }
  async run(request: RunRequest) {
    this.calls.push(`run ${request.image}`);
    this.runs.push(request);
    // Like the docker CLI adapter: a port another running container publishes fails the start, and the
    // created container is removed again.
    for (const p of request.network === "host" ? [] : request.ports) {
      const holder = [...this.containers.values()].find(
        (c) => c.state === "running" && c.ports.some((q) => q.hostPort === p.hostPort),
      );
      if (holder) throw new PortInUseError(p.hostPort, p.hostIp, "another container publishes it");
    }
    const id = `container${this.nextId++}`;
    const name = request.name ?? `random_${id}`;
    const info: ContainerInfo = {
      id,
      name,
      image: request.image,
      state: this.runState,
      exitCode: this.runState === "exited" ? 1 : 0,
      health: undefined,
      labels: { ...request.labels },
      ports: request.ports,
    };
    this.containers.set(name, info);
    return id;
  }
  async exec(request: ExecRequest) {
    this.calls.push(`exec ${request.container} ${request.command.join(" ")}`);
    this.execs.push(request);
    return this.execCode;
  }
  async inspectImage(ref: string) {
    return this.images.get(ref);
  }
  async inspectContainer(ref: string) {
    for (const c of this.containers.values()) if (c.name === ref || c.id === ref) return c;
    return undefined;
  }
  async ps(labels: Record<string, string>) {
    return [...this.containers.values()]
      .filter((c) => Object.entries(labels).every(([k, v]) => c.labels[k] === v))
      .reverse()
      .map((c) => ({
        id: c.id,
        name: c.name,
        image: c.image,
        state: c.state,
        createdAt: "",
        labels: c.labels,
        hostPorts: c.ports.map((p) => p.hostPort),
      }));
  }
  async rm(ref: string) {
    this.calls.push(`rm ${ref}`);
    for (const [name, c] of this.containers) if (c.name === ref || c.id === ref) this.containers.delete(name);
  }
  pushes: string[] = [];
  async tag(source: string, target: string) {
    this.calls.push(`tag ${source} ${target}`);
    const image = this.images.get(source);
    if (image) this.images.set(target, image);
  }
  async push(ref: string, onLine: (line: string) => void) {
    this.calls.push(`push ${ref}`);
    this.pushes.push(ref);
    onLine("abc123: Pushed");
    return { digest: "sha256:feed" };
  }
  async rmi(ref: string) {
    this.calls.push(`rmi ${ref}`);
    this.images.delete(ref);
  }
  async logs() {
    return this.logsText;
  }
  async followLogs(_ref: string, onLine: (line: string) => void) {
    onLine("following");
  }
}

/** Deps over a FakeRuntime with a fake clock: `probe` answers from `statuses`, then 200. */
export function fakeDeps(
  runtime: FakeRuntime,
  options: { statuses?: (number | undefined)[]; signal?: AbortSignal } = {},
): DockerDeps & { lines: string[]; probes: string[]; clock: { t: number } } {
  const lines: string[] = [];
  const probes: string[] = [];
  const clock = { t: 0 };
  const statuses = [...(options.statuses ?? [])];
  return {
    runtime,
    lines,
    probes,
    clock,
    log: (line) => void lines.push(line),
    step: (_label, work) => work(),
    probe: async (url) => {
      probes.push(url);
      return statuses.length > 0 ? statuses.shift() : 200;
    },
    sleep: async (ms) => {
      clock.t += ms;
    },
    now: () => clock.t,
    signal: options.signal,
  };
}
