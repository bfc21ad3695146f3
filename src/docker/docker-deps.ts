import type { ContainerRuntime } from "./container-runtime.js";

/** The outside world docker/ and deploy/ core code works through; the CLI wires the real ones. */
export interface DockerDeps {
  runtime: ContainerRuntime;
  /** People-facing lines (build progress, container logs); stderr in the CLI. */
  log(line: string): void;
  /** A short wait shown as one line or a spinner (the reporter's step). */
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
  /** HTTP status of a GET, or undefined when nothing answers (connection refused, timeout). */
  probe(url: string, signal?: AbortSignal): Promise<number | undefined>;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  now(): number;
  signal?: AbortSignal | undefined;
}
