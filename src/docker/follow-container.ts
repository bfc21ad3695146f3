import { ExternalError } from "../errors.js";
import type { DockerDeps } from "./docker-deps.js";

/**
 * Foreground `mosaic docker run`: streams the container's logs until Ctrl-C / SIGTERM, then removes
 * it. A container that stops by itself is an error carrying its exit code (after removal).
 */
export async function followContainer(
  deps: DockerDeps,
  container: { id: string; name: string },
): Promise<void> {
  try {
    await deps.runtime.followLogs(container.id, deps.log, deps.signal);
  } catch (error) {
    if (!deps.signal?.aborted) throw error;
  }
  if (deps.signal?.aborted) {
    deps.log(`Stopping ${container.name}`);
    await deps.runtime.rm(container.id); // not under the fired signal: removal must still happen
    return;
  }
  const info = await deps.runtime.inspectContainer(container.id);
  await deps.runtime.rm(container.id);
  const code = info?.exitCode ?? 1;
  throw new ExternalError(`Container ${container.name} stopped with exit code ${code}`, {
    exitCode: code === 0 ? 1 : code,
    hint: "Its log lines are above.",
  });
}
