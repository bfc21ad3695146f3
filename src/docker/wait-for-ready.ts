import { AbortedError, ExternalError } from "../errors.js";
import type { DockerDeps } from "./docker-deps.js";

export interface WaitForReadyOptions {
  container: string;
  /** Base URL of the service, e.g. http://127.0.0.1:8890 */
  url: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Log lines shown when the container fails to become ready. */
  logLines?: number;
}

/**
 * Polls `<url>/readyz` until it answers 200. Fails early when the container stops, and after
 * `timeoutMs` otherwise; either way the container's last log lines go to `deps.log` first.
 */
export async function waitForReady(deps: DockerDeps, options: WaitForReadyOptions): Promise<void> {
  const started = deps.now();
  const interval = options.intervalMs ?? 500;
  const readyz = `${options.url.replace(/\/$/, "")}/readyz`;
  for (;;) {
    if (deps.signal?.aborted) throw new AbortedError();
    if ((await deps.probe(readyz, deps.signal)) === 200) return;
    const info = await deps.runtime.inspectContainer(options.container, deps.signal);
    if (!info || info.state === "exited" || info.state === "dead") {
      await showLogs(deps, options);
      throw new ExternalError(
        info
          ? `Container ${info.name} stopped (exit code ${info.exitCode}) before ${readyz} answered`
          : `Container ${options.container} disappeared before ${readyz} answered`,
        { hint: "Its last log lines are above; fix the cause (often the index or model) and run again." },
      );
    }
    if (deps.now() - started >= options.timeoutMs) {
      await showLogs(deps, options);
      throw new ExternalError(
        `Container ${info.name} did not become ready within ${Math.round(options.timeoutMs / 1000)}s (${readyz})`,
        {
          hint: `Its last log lines are above. It is still running: \`docker logs -f ${info.name}\` to watch it, \`docker rm -f ${info.name}\` to remove it, or retry with a longer --ready-timeout.`,
        },
      );
    }
    await deps.sleep(interval, deps.signal);
  }
}

async function showLogs(deps: DockerDeps, options: WaitForReadyOptions): Promise<void> {
  const lines = options.logLines ?? 40;
  try {
    const text = await deps.runtime.logs(options.container, lines, deps.signal);
    deps.log(`--- last ${lines} log lines of ${options.container} ---`);
    for (const line of text.split("\n")) if (line.trim()) deps.log(line);
    deps.log("---");
  } catch {
    deps.log(`(could not read the logs of ${options.container})`);
  }
}
