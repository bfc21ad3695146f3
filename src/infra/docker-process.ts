import { spawn } from "node:child_process";
import { AbortedError, ExternalError } from "../errors.js";

export interface DockerProcessOptions {
  /** The docker CLI (default "docker" on PATH). */
  bin: string;
  env: Record<string, string | undefined>;
  signal?: AbortSignal | undefined;
  /** Each output line (stdout and stderr) as it arrives. */
  onLine?: ((line: string) => void) | undefined;
  /** Hand the terminal to the child (an interactive `docker exec -it`). */
  inheritStdio?: boolean;
  /** Where a non-interactive child's output is copied to as it arrives (exec). */
  stdout?: NodeJS.WritableStream | undefined;
  stderr?: NodeJS.WritableStream | undefined;
}

export interface DockerProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Output kept per stream: a build can print megabytes, errors sit at the end. */
const KEEP_CHARS = 256 * 1024;

/** Runs the docker CLI once; resolves with its exit code and output, rejects only when it can't start. */
export function runDockerProcess(
  args: readonly string[],
  options: DockerProcessOptions,
): Promise<DockerProcessResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new AbortedError());
    const child = spawn(options.bin, [...args], {
      env: options.env as NodeJS.ProcessEnv,
      stdio: options.inheritStdio ? "inherit" : ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const splitter = () => {
      let partial = "";
      return (chunk: string, end = false) => {
        const parts = (partial + chunk).split(/\r\n|\n|\r/);
        partial = end ? "" : (parts.pop() ?? "");
        for (const line of parts) if (line.length > 0) options.onLine?.(line);
      };
    };
    const outLines = splitter();
    const errLines = splitter();
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout = (stdout + chunk).slice(-KEEP_CHARS);
      options.stdout?.write(chunk);
      outLines(chunk);
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-KEEP_CHARS);
      options.stderr?.write(chunk);
      errLines(chunk);
    });
    const onAbort = () => child.kill("SIGTERM");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener("abort", onAbort);
      if (error.code === "ENOENT") {
        reject(
          new ExternalError(`The docker CLI (${options.bin}) was not found`, {
            hint: "Install Docker (https://docs.docker.com/engine/install/) or put `docker` on PATH.",
            cause: error,
          }),
        );
      } else reject(new ExternalError(`Could not run ${options.bin}: ${error.message}`, { cause: error }));
    });
    child.on("close", (code, signal) => {
      options.signal?.removeEventListener("abort", onAbort);
      outLines("", true);
      errLines("", true);
      if (options.signal?.aborted) return reject(new AbortedError());
      resolve({ code: code ?? (signal ? 128 + 15 : 1), stdout, stderr });
    });
  });
}

const UNREACHABLE = [
  /Cannot connect to the Docker daemon/i,
  /error during connect/i,
  /Is the docker daemon running/i,
  /dial unix .*docker\.sock.*(no such file|connection refused)/i,
];

/** An ExternalError for a failed docker invocation, recognising the causes a user can fix. */
export function dockerFailure(args: readonly string[], result: DockerProcessResult): ExternalError {
  const text = `${result.stderr}\n${result.stdout}`;
  if (UNREACHABLE.some((re) => re.test(text))) {
    return new ExternalError("No Docker daemon is reachable", {
      hint: "start Docker / dockerd, or set DOCKER_HOST",
    });
  }
  if (/permission denied.*docker\.sock/i.test(text)) {
    return new ExternalError("Permission denied on the Docker socket", {
      hint: "Add your user to the docker group (then log in again), use rootless Docker, or set DOCKER_HOST.",
    });
  }
  const last = lastLines(result.stderr || result.stdout, 3);
  return new ExternalError(`docker ${args[0] ?? ""} failed (exit ${result.code})${last ? `: ${last}` : ""}`);
}

export function lastLines(text: string, n: number): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      // The CLI's usage footer says nothing about the failure.
      .filter((l) => l && !/^Run '.+ --help' for more information/.test(l))
      .slice(-n)
      .join(" | ")
  );
}
