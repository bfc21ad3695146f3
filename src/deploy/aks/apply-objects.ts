import { MosaicError } from "../../errors.js";
import type { AksReporter } from "./aks-events.js";
import { describeRef, type KubeClient, type KubeObject, refOf } from "./kube-client.js";
import { isManagedByMosaic, SPEC_HASH_ANNOTATION } from "./labels.js";
import { withSpecHash } from "./spec-hash.js";

export type ApplyOutcome = "created" | "updated" | "unchanged" | "kept";

/**
 * Create-or-update by hash: read the object; create it when absent; when present, compare the spec hash
 * stored in its annotation with the desired one and server-side-apply only when they differ. So a second
 * run with the same config sends no writes, and a changed image (say) rolls out.
 * An object mosaic did not create is never changed: a Namespace is used as it is, anything else stops
 * the run so a user's own Deployment is not overwritten.
 */
export async function applyObject(kube: KubeClient, desired: KubeObject): Promise<ApplyOutcome> {
  const hashed = withSpecHash(desired);
  const ref = refOf(desired);
  const current = await kube.read(ref);
  if (current === undefined) {
    await kube.create(hashed);
    return "created";
  }
  if (!isManagedByMosaic(current.metadata.labels)) {
    if (desired.kind === "Namespace") return "kept";
    throw new MosaicError(`${describeRef(ref)} already exists and was not created by mosaic.`, {
      hint: "mosaic only changes objects labelled app.kubernetes.io/managed-by=mosaic. Choose another aks.name or aks.namespace, or delete that object.",
    });
  }
  if (
    current.metadata.annotations?.[SPEC_HASH_ANNOTATION] ===
    hashed.metadata.annotations?.[SPEC_HASH_ANNOTATION]
  ) {
    return "unchanged";
  }
  await kube.apply(hashed);
  return "updated";
}

/** Applies in order (the Namespace first), reporting each outcome. */
export async function applyObjects(
  kube: KubeClient,
  objects: readonly KubeObject[],
  reporter: AksReporter,
): Promise<ApplyOutcome[]> {
  const outcomes: ApplyOutcome[] = [];
  for (const object of objects) {
    const outcome = await applyObject(kube, object);
    reporter.emit({ type: "object", target: describeRef(refOf(object)), outcome });
    outcomes.push(outcome);
  }
  return outcomes;
}
