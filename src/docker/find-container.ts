import { MosaicError } from "../errors.js";
import type { DockerDeps } from "./docker-deps.js";
import { LABELS } from "./labels.js";

/**
 * "last" → the newest running container mosaic made; anything else is passed through as a name or id.
 */
export async function findContainer(deps: DockerDeps, ref: string): Promise<string> {
  if (ref !== "last") return ref;
  const mine = await deps.runtime.ps({ [LABELS.managed]: "true" }, deps.signal);
  const running = mine.find((c) => c.state === "running");
  if (!running) {
    throw new MosaicError("No running container made by mosaic", {
      hint: "Start one with `mosaic docker run` or `mosaic deploy local`, or name the container.",
    });
  }
  return running.name;
}
