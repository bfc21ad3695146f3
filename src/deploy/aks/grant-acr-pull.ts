import { createHash } from "node:crypto";
import { ExternalError, UsageError } from "../../errors.js";
import type { AksReporter } from "./aks-events.js";
import type { AksSettings } from "./aks-settings.js";
import type { CloudClient } from "./cloud-client.js";

/** Azure's built-in AcrPull role (pull images from a container registry). */
export const ACR_PULL_ROLE = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

/**
 * The registry the cluster must be able to pull from: aks.registry, else aks.image's registry when it is
 * an Azure Container Registry; undefined when there is none or attachRegistry is off.
 */
export function registryName(settings: AksSettings): string | undefined {
  if (!settings.attachRegistry) return undefined;
  const explicit = settings.registry?.replace(/\.azurecr\.io$/i, "");
  if (explicit) return explicit.toLowerCase();
  const host = settings.image?.split("/")[0] ?? "";
  return /^([a-z0-9]+)\.azurecr\.io$/i.exec(host)?.[1]?.toLowerCase();
}

/** A stable GUID for (scope, principal, role): a re-run addresses the same assignment. */
export function assignmentGuid(scope: string, principalId: string, role: string): string {
  const h = createHash("sha256").update(`${scope.toLowerCase()}|${principalId}|${role}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * What `az aks update --attach-acr` does: gives the cluster's kubelet identity AcrPull on the registry,
 * so pods can pull aks.image without an image pull secret. Idempotent.
 */
export async function grantAcrPull(
  cloud: CloudClient,
  settings: AksSettings,
  reporter: AksReporter,
  subscriptionHint = "(subscription)",
): Promise<void> {
  const name = registryName(settings);
  if (name === undefined) return;
  const target = `AcrPull on registry ${name} for cluster ${settings.cluster}`;
  const registry = await cloud.findRegistry(name);
  if (registry === undefined) {
    throw new UsageError(`No container registry named ${name} in this subscription.`, {
      hint: `Create it (az acr create -g <group> -n ${name} --sku Basic) and push the image (mosaic docker push ${name}.azurecr.io), or set aks.registry / aks.attachRegistry: false for a registry the cluster can already pull from.`,
    });
  }
  const cluster = await cloud.getCluster(settings.resourceGroup, settings.cluster);
  const principalId = cluster?.kubeletObjectId;
  if (!principalId) {
    throw new ExternalError(
      `Cluster ${settings.resourceGroup}/${settings.cluster} reports no kubelet identity.`,
      {
        hint: `Attach the registry yourself (az aks update -g ${settings.resourceGroup} -n ${settings.cluster} --attach-acr ${name}) and set aks.attachRegistry: false.`,
      },
    );
  }
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(registry.id)?.[1] ?? subscriptionHint;
  const roleDefinitionId = `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL_ROLE}`;
  const id = `${registry.id}/providers/Microsoft.Authorization/roleAssignments/${assignmentGuid(registry.id, principalId, ACR_PULL_ROLE)}`;
  if (await cloud.getRoleAssignment(id)) {
    reporter.emit({ type: "azure", target, outcome: "found" });
    return;
  }
  const outcome = await cloud.createRoleAssignment(id, {
    properties: { roleDefinitionId, principalId, principalType: "ServicePrincipal" },
  });
  reporter.emit({
    type: "azure",
    target,
    outcome: outcome === "created" ? "created" : "found",
    ...(outcome === "exists" ? { detail: "assigned before (az aks update --attach-acr)" } : {}),
  });
}
