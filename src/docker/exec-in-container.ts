import { ExternalError, UsageError } from "../errors.js";
import type { DockerDeps } from "./docker-deps.js";
import { findContainer } from "./find-container.js";

export interface ExecOptions {
  /** A container name or id, or "last" for the newest running one mosaic made. */
  container: string;
  command: string[];
  /** Attach a TTY and stdin (only when stdin is a terminal). */
  tty: boolean;
}

/**
 * `mosaic docker exec`: runs a command in a running container with its output passed through. A
 * non-zero exit becomes an ExternalError carrying the same exit code, so `mosaic` exits with it.
 */
export async function execInContainer(deps: DockerDeps, options: ExecOptions): Promise<void> {
  if (options.command.length === 0) {
    throw new UsageError("No command to run", {
      hint: "Put it after --: mosaic docker exec last -- node --version",
    });
  }
  const container = await findContainer(deps, options.container);
  const code = await deps.runtime.exec(
    { container, command: options.command, tty: options.tty },
    deps.signal,
  );
  if (code !== 0) {
    throw new ExternalError(`\`${options.command.join(" ")}\` exited with code ${code} in ${container}`, {
      exitCode: code,
    });
  }
}
