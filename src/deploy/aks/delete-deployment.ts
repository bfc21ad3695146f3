import type { AksReporter } from "./aks-events.js";
import type { AksSettings } from "./aks-settings.js";
import type { CloudClient } from "./cloud-client.js";
import { describeRef, type KubeClient } from "./kube-client.js";
import { deploymentSelector, isManagedByMosaic } from "./labels.js";

/** Kinds mosaic creates in the namespace, in teardown order (what routes traffic goes first). */
export const OWNED_KINDS = [
  { apiVersion: "networking.k8s.io/v1", kind: "Ingress" },
  { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler" },
  { apiVersion: "policy/v1", kind: "PodDisruptionBudget" },
  { apiVersion: "apps/v1", kind: "Deployment" },
  { apiVersion: "v1", kind: "Service" },
  { apiVersion: "batch/v1", kind: "Job" },
] as const;

/**
 * Deletes the Kubernetes objects of deployment `settings.name` — only those labelled managed-by=mosaic
 * and mosaic.dev/deployment=<name> — and the namespace when mosaic created it and it is now empty of
 * anything else (a storage Secret the user made there keeps it).
 */
export async function deleteKubeObjects(
  kube: KubeClient,
  settings: AksSettings,
  reporter: AksReporter,
): Promise<number> {
  const selector = deploymentSelector(settings.name);
  let deleted = 0;
  for (const type of OWNED_KINDS) {
    for (const object of await kube.list(type, settings.namespace, selector)) {
      const ref = { ...type, name: object.metadata.name, namespace: settings.namespace };
      if (await kube.delete(ref)) {
        deleted += 1;
        reporter.emit({ type: "object", target: describeRef(ref), outcome: "deleted" });
      }
    }
  }
  const nsRef = { apiVersion: "v1", kind: "Namespace", name: settings.namespace };
  const namespace = await kube.read(nsRef);
  if (namespace === undefined) return deleted;
  const ours =
    isManagedByMosaic(namespace.metadata.labels) &&
    namespace.metadata.labels?.["mosaic.dev/deployment"] === settings.name;
  // Deleting a namespace deletes everything in it: only when mosaic made it and nothing else lives there.
  const others = ours ? await countRemaining(kube, settings.namespace) : 0;
  if (ours && others === 0) {
    await kube.delete(nsRef);
    reporter.emit({ type: "object", target: describeRef(nsRef), outcome: "deleted" });
  } else {
    const detail = ours ? `still holds ${others} object(s) mosaic did not create` : "not created by mosaic";
    reporter.emit({ type: "object", target: describeRef(nsRef), outcome: "kept", detail });
  }
  return deleted;
}

/** Kinds a user may have put in mosaic's namespace, which a namespace deletion would take with it. */
const OTHER_KINDS = [
  ...OWNED_KINDS,
  { apiVersion: "v1", kind: "Secret" },
  { apiVersion: "v1", kind: "PersistentVolumeClaim" },
] as const;

async function countRemaining(kube: KubeClient, namespace: string): Promise<number> {
  let count = 0;
  for (const type of OTHER_KINDS) {
    const objects = await kube.list(type, namespace, "");
    // Kubernetes' own service-account token secrets are not the user's.
    count += objects.filter(
      (o) => (o as { type?: string }).type !== "kubernetes.io/service-account-token",
    ).length;
  }
  return count;
}

/**
 * Deletes the Azure resources mosaic created (tagged managed-by=mosaic): the cluster, or else just its
 * node pool in a cluster that was already there; then the resource group. Anything untagged is kept.
 */
export async function deleteAzureResources(
  cloud: CloudClient,
  settings: AksSettings,
  reporter: AksReporter,
): Promise<void> {
  const { resourceGroup: rg, cluster, nodePool } = settings;
  const emit = (target: string, outcome: "deleted" | "kept" | "absent", detail?: string) =>
    reporter.emit({ type: "azure", target, outcome, detail });
  const found = await cloud.getCluster(rg, cluster);
  if (found === undefined) {
    emit(`cluster ${rg}/${cluster}`, "absent");
  } else if (isManagedByMosaic(found.tags)) {
    await cloud.deleteCluster(rg, cluster);
    emit(`cluster ${rg}/${cluster}`, "deleted");
  } else {
    emit(`cluster ${rg}/${cluster}`, "kept", "not created by mosaic");
    const pool = await cloud.getAgentPool(rg, cluster, nodePool);
    if (pool && isManagedByMosaic(pool.tags)) {
      await cloud.deleteAgentPool(rg, cluster, nodePool);
      emit(`node pool ${cluster}/${nodePool}`, "deleted");
    } else if (pool) {
      emit(`node pool ${cluster}/${nodePool}`, "kept", "not created by mosaic");
    }
  }
  const group = await cloud.getResourceGroup(rg);
  if (group === undefined) emit(`resource group ${rg}`, "absent");
  else if (isManagedByMosaic(group.tags)) {
    await cloud.deleteResourceGroup(rg);
    emit(`resource group ${rg}`, "deleted");
  } else emit(`resource group ${rg}`, "kept", "not created by mosaic");
}
