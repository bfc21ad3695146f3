import { MosaicError, UsageError } from "../../errors.js";
import type { AksEvent, AksReporter } from "./aks-events.js";
import { type AksSettings, SYSTEM_POOL } from "./aks-settings.js";
import type { AgentPoolRequest, CloudClient } from "./cloud-client.js";
import { grantAcrPull } from "./grant-acr-pull.js";
import { AZURE_MANAGED_TAG, isManagedByMosaic } from "./labels.js";

/** The user pool mosaic's pods run on: autoscaled between minNodes and maxNodes, tainted when GPU. */
export function workloadPool(settings: AksSettings): AgentPoolRequest {
  return {
    mode: "User",
    vmSize: settings.nodeVmSize,
    osType: "Linux",
    count: Math.max(settings.minNodes, 1),
    enableAutoScaling: true,
    minCount: settings.minNodes,
    maxCount: settings.maxNodes,
    // Only pods that tolerate it (mosaic's GPU pods) land on expensive GPU nodes.
    ...(settings.gpu ? { nodeTaints: ["sku=gpu:NoSchedule"] } : {}),
    tags: { ...AZURE_MANAGED_TAG },
  };
}

/**
 * Makes sure the resource group, the cluster and mosaic's node pool exist (creating what is missing,
 * tagged managed-by=mosaic so --delete knows it may remove them), that the VM size is offered and has
 * quota before anything is created, that the cluster may pull from aks.registry (AcrPull), and returns the
 * cluster's user kubeconfig.
 */
export async function ensureCluster(
  cloud: CloudClient,
  settings: AksSettings,
  reporter: AksReporter,
): Promise<string> {
  const { resourceGroup: rg, cluster, nodePool, location } = settings;
  const azure = (target: string, outcome: Extract<AksEvent, { type: "azure" }>["outcome"], detail?: string) =>
    reporter.emit({ type: "azure", target, outcome, detail });

  const group = await cloud.getResourceGroup(rg);
  if (group === undefined) {
    await cloud.createResourceGroup(rg, { location, tags: { ...AZURE_MANAGED_TAG } });
    azure(`resource group ${rg}`, "created", location);
  } else {
    azure(`resource group ${rg}`, "found", group.location);
  }

  const existing = await cloud.getCluster(rg, cluster);
  const clusterTarget = `cluster ${rg}/${cluster}`;
  if (existing === undefined) {
    await checkCapacity(cloud, settings, reporter, SYSTEM_POOL.count * 2);
    await cloud.createCluster(rg, cluster, {
      location,
      tags: { ...AZURE_MANAGED_TAG },
      dnsPrefix: `${cluster}-dns`.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
      ...(settings.kubernetesVersion ? { kubernetesVersion: settings.kubernetesVersion } : {}),
      identity: { type: "SystemAssigned" },
      agentPoolProfiles: [
        {
          name: SYSTEM_POOL.name,
          mode: "System",
          vmSize: SYSTEM_POOL.vmSize,
          osType: "Linux",
          count: SYSTEM_POOL.count,
        },
        { name: nodePool, ...workloadPool(settings) },
      ],
    });
    azure(clusterTarget, "created", `pools ${SYSTEM_POOL.name} + ${nodePool} (${settings.nodeVmSize})`);
  } else {
    if (existing.provisioningState !== undefined && existing.provisioningState !== "Succeeded") {
      throw new MosaicError(`${clusterTarget} is in provisioning state ${existing.provisioningState}.`, {
        hint: "Wait for the running operation to finish (`az aks show -g <rg> -n <cluster> --query provisioningState`), then run again.",
      });
    }
    azure(
      clusterTarget,
      "found",
      existing.kubernetesVersion ? `Kubernetes ${existing.kubernetesVersion}` : undefined,
    );
    await ensurePool(cloud, settings, reporter);
  }

  // Without it the pods sit in ImagePullBackOff: nothing else lets the nodes pull from a private registry.
  await grantAcrPull(cloud, settings, reporter);
  return cloud.userKubeconfig(rg, cluster);
}

async function ensurePool(cloud: CloudClient, settings: AksSettings, reporter: AksReporter): Promise<void> {
  const { resourceGroup: rg, cluster, nodePool } = settings;
  const target = `node pool ${cluster}/${nodePool}`;
  const pool = await cloud.getAgentPool(rg, cluster, nodePool);
  const desired = workloadPool(settings);
  if (pool === undefined) {
    await checkCapacity(cloud, settings, reporter, 0);
    await cloud.putAgentPool(rg, cluster, nodePool, desired);
    reporter.emit({
      type: "azure",
      target,
      outcome: "created",
      detail: `${settings.nodeVmSize}, ${settings.minNodes}-${settings.maxNodes} nodes`,
    });
    return;
  }
  if (pool.vmSize !== undefined && pool.vmSize.toLowerCase() !== settings.nodeVmSize.toLowerCase()) {
    throw new UsageError(
      `${target} has VM size ${pool.vmSize}, but aks.nodeVmSize is ${settings.nodeVmSize}.`,
      {
        hint: "A pool's VM size cannot change. Set aks.nodeVmSize to the pool's, or aks.nodePool to a new pool name.",
      },
    );
  }
  const sameScale =
    pool.enableAutoScaling && pool.minCount === settings.minNodes && pool.maxCount === settings.maxNodes;
  if (sameScale) {
    reporter.emit({ type: "azure", target, outcome: "found" });
  } else if (isManagedByMosaic(pool.tags)) {
    await checkCapacity(cloud, settings, reporter, 0);
    await cloud.putAgentPool(rg, cluster, nodePool, desired);
    reporter.emit({
      type: "azure",
      target,
      outcome: "updated",
      detail: `${settings.minNodes}-${settings.maxNodes} nodes`,
    });
  } else {
    reporter.emit({
      type: "azure",
      target,
      outcome: "kept",
      detail: "not created by mosaic: its scaling is left as it is",
    });
  }
}

/**
 * Stops before creating anything when the VM size is not offered to this subscription in the region,
 * or when maxNodes of it (plus `extraVcpus`) would exceed the vCPU quota.
 */
async function checkCapacity(
  cloud: CloudClient,
  settings: AksSettings,
  reporter: AksReporter,
  extraVcpus: number,
): Promise<void> {
  const { location, nodeVmSize } = settings;
  const target = `VM size ${nodeVmSize} in ${location}`;
  const offer = await cloud.vmSizeOffer(location, nodeVmSize);
  if (offer !== undefined && !offer.offered) {
    throw new UsageError(`${target} cannot be used: ${offer.reason}.`, {
      hint: `List the sizes you can use with \`az vm list-skus -l ${location} --resource-type virtualMachines -o table\` and set aks.nodeVmSize (or aks.location).`,
    });
  }
  const usage = await cloud.vcpuUsage(location, offer?.family ?? "");
  if (offer === undefined) {
    reporter.emit({ type: "azure", target, outcome: "unchecked" });
    return;
  }
  const need = offer.vcpus * settings.maxNodes;
  const shortOf = (quota: { used: number; limit: number } | undefined, wanted: number) =>
    quota !== undefined && quota.limit - quota.used < wanted ? quota : undefined;
  const family = shortOf(usage?.family, need);
  const regional = shortOf(usage?.regional, need + extraVcpus);
  const short = family
    ? { what: `${offer.family} vCPUs`, q: family, wanted: need }
    : regional
      ? { what: "total regional vCPUs", q: regional, wanted: need + extraVcpus }
      : undefined;
  if (short) {
    throw new MosaicError(
      `Not enough quota in ${location}: ${short.wanted} ${short.what} needed (${settings.maxNodes} × ${nodeVmSize}), ${short.q.limit - short.q.used} of ${short.q.limit} free.`,
      {
        hint: "Request more quota (Azure portal → Quotas → Compute), or lower aks.maxNodes, or choose another aks.nodeVmSize or aks.location.",
      },
    );
  }
  reporter.emit({
    type: "azure",
    target,
    outcome: usage === undefined ? "unchecked" : "checked",
    detail: `${offer.vcpus} vCPUs each, ${need} for ${settings.maxNodes} nodes`,
  });
}
