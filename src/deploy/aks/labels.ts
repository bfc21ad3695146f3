/** Labels and annotations mosaic puts on every Kubernetes object and Azure resource it creates. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "mosaic";
export const DEPLOYMENT_LABEL = "mosaic.dev/deployment";
export const COMPONENT_LABEL = "app.kubernetes.io/component";
export const NAME_LABEL = "app.kubernetes.io/name";
/** sha256 (16 hex) of the desired object without this annotation: equal hash, nothing to patch. */
export const SPEC_HASH_ANNOTATION = "mosaic.dev/spec-hash";
/** Azure tag on resource groups, clusters and node pools mosaic created (and so may delete). */
export const AZURE_MANAGED_TAG = { "managed-by": "mosaic" } as const;

export type Component = "serve" | "featurize" | "merge";

/** The labels of every object of deployment `name`. */
export function mosaicLabels(name: string, component?: Component): Record<string, string> {
  return {
    [NAME_LABEL]: "mosaic",
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [DEPLOYMENT_LABEL]: name,
    ...(component ? { [COMPONENT_LABEL]: component } : {}),
  };
}

/** Selects everything mosaic created for deployment `name` (and nothing else). */
export function deploymentSelector(name: string): string {
  return `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${DEPLOYMENT_LABEL}=${name}`;
}

export function isManagedByMosaic(labelsOrTags: Record<string, string> | undefined): boolean {
  return labelsOrTags?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE || labelsOrTags?.["managed-by"] === "mosaic";
}
