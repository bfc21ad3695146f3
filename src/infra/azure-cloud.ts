import { ComputeManagementClient } from "@azure/arm-compute";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { ResourceManagementClient } from "@azure/arm-resources";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import {
  type CloudClient,
  ROLE_ASSIGNMENT_API_VERSION,
  type VmSizeOffer,
} from "../deploy/aks/cloud-client.js";
import { ExternalError, UsageError } from "../errors.js";

export interface AzureCloudOptions {
  subscriptionId: string | undefined;
  /** Default: DefaultAzureCredential (az login, environment, managed identity, …). */
  credential?: TokenCredential;
}

/** The CloudClient over the Azure SDK: one SDK call per method (see SDK_CALLS). */
export function createAzureCloud(options: AzureCloudOptions): CloudClient {
  const subscriptionId = options.subscriptionId;
  if (!subscriptionId) {
    throw new UsageError(
      "No Azure subscription: aks.subscription and AZURE_SUBSCRIPTION_ID are both unset.",
      {
        hint: "Run `az account show --query id -o tsv` and put the id in aks.subscription (or export AZURE_SUBSCRIPTION_ID).",
      },
    );
  }
  const credential = options.credential ?? new DefaultAzureCredential();
  const resources = new ResourceManagementClient(credential, subscriptionId);
  const aks = new ContainerServiceClient(credential, subscriptionId);
  const compute = new ComputeManagementClient(credential, subscriptionId);

  return {
    getResourceGroup: (name) =>
      orAbsent(`reading resource group ${name}`, async () => {
        const group = await resources.resourceGroups.get(name);
        return { location: group.location, tags: group.tags ?? {} };
      }),
    createResourceGroup: (name, body) =>
      call(
        `creating resource group ${name}`,
        async () => void (await resources.resourceGroups.createOrUpdate(name, body)),
      ),
    deleteResourceGroup: (name) =>
      call(`deleting resource group ${name}`, () => resources.resourceGroups.beginDeleteAndWait(name)),
    getCluster: (rg, name) =>
      orAbsent(`reading cluster ${rg}/${name}`, async () => {
        const cluster = await aks.managedClusters.get(rg, name);
        return {
          location: cluster.location,
          tags: cluster.tags ?? {},
          provisioningState: cluster.provisioningState,
          kubernetesVersion: cluster.currentKubernetesVersion ?? cluster.kubernetesVersion,
          kubeletObjectId: cluster.identityProfile?.kubeletidentity?.objectId,
        };
      }),
    createCluster: (rg, name, body) =>
      call(`creating cluster ${rg}/${name} (this takes several minutes)`, async () => {
        await aks.managedClusters.createOrUpdate(rg, name, body);
      }),
    deleteCluster: (rg, name) =>
      call(`deleting cluster ${rg}/${name}`, async () => {
        await aks.managedClusters.delete(rg, name);
      }),
    getAgentPool: (rg, cluster, pool) =>
      orAbsent(`reading node pool ${cluster}/${pool}`, async () => {
        const found = await aks.agentPools.get(rg, cluster, pool);
        return {
          vmSize: found.vmSize,
          minCount: found.minCount,
          maxCount: found.maxCount,
          enableAutoScaling: found.enableAutoScaling ?? false,
          tags: found.tags ?? {},
          provisioningState: found.provisioningState,
        };
      }),
    putAgentPool: (rg, cluster, pool, body) =>
      call(`creating node pool ${cluster}/${pool}`, async () => {
        await aks.agentPools.createOrUpdate(rg, cluster, pool, body);
      }),
    deleteAgentPool: (rg, cluster, pool) =>
      call(`deleting node pool ${cluster}/${pool}`, async () => {
        await aks.agentPools.delete(rg, cluster, pool);
      }),
    vmSizeOffer: (location, vmSize) =>
      call(`listing VM sizes in ${location}`, async (): Promise<VmSizeOffer> => {
        for await (const sku of compute.resourceSkus.list({ filter: `location eq '${location}'` })) {
          if (sku.resourceType !== "virtualMachines" || sku.name?.toLowerCase() !== vmSize.toLowerCase())
            continue;
          const blocked = sku.restrictions?.find((r) => r.type === "Location");
          if (blocked) {
            return {
              offered: false,
              reason:
                blocked.reasonCode === "NotAvailableForSubscription"
                  ? "not available to this subscription"
                  : `restricted (${blocked.reasonCode ?? "unknown reason"})`,
            };
          }
          const vcpus = Number(sku.capabilities?.find((c) => c.name === "vCPUs")?.value);
          return { offered: true, family: sku.family ?? "", vcpus: Number.isFinite(vcpus) ? vcpus : 0 };
        }
        return { offered: false, reason: "not offered in this region" };
      }),
    vcpuUsage: (location, family) =>
      call(`reading compute usage in ${location}`, async () => {
        let familyUsage: { used: number; limit: number } | undefined;
        let regional: { used: number; limit: number } | undefined;
        for await (const usage of compute.usage.list(location)) {
          const name = usage.name.value?.toLowerCase();
          if (name === family.toLowerCase()) familyUsage = { used: usage.currentValue, limit: usage.limit };
          if (name === "cores") regional = { used: usage.currentValue, limit: usage.limit };
        }
        return { family: familyUsage, regional };
      }),
    findRegistry: (name) =>
      call(`looking up container registry ${name}`, async () => {
        const filter = `resourceType eq 'Microsoft.ContainerRegistry/registries' and name eq '${name}'`;
        for await (const found of resources.resources.list({ filter })) {
          if (found.id) return { id: found.id };
        }
        return undefined;
      }),
    getRoleAssignment: (id) =>
      orAbsent("reading the AcrPull role assignment", async () => {
        const found = await resources.resources.getById(id, ROLE_ASSIGNMENT_API_VERSION);
        const props = (found.properties ?? {}) as { roleDefinitionId?: string; principalId?: string };
        return { roleDefinitionId: props.roleDefinitionId ?? "", principalId: props.principalId ?? "" };
      }),
    createRoleAssignment: (id, body) =>
      call("assigning AcrPull on the registry", async () => {
        try {
          await resources.resources.beginCreateOrUpdateByIdAndWait(id, ROLE_ASSIGNMENT_API_VERSION, body);
          return "created" as const;
        } catch (error) {
          // The same role for the same principal under another assignment name (az aks update --attach-acr).
          if (statusOf(error) === 409 && /RoleAssignmentExists/i.test(String((error as Error).message)))
            return "exists" as const;
          if (statusOf(error) === 403) {
            throw new ExternalError(
              `No permission to assign AcrPull: ${(error as Error).message.split("\n")[0]}`,
              {
                hint: "Assigning roles needs Owner or User Access Administrator on the registry: ask someone who has it to run `az aks update -g <rg> -n <cluster> --attach-acr <registry>`, then set aks.attachRegistry: false.",
                cause: error,
              },
            );
          }
          throw error;
        }
      }),
    userKubeconfig: (rg, name) =>
      call(`getting credentials of cluster ${rg}/${name}`, async () => {
        const result = await aks.managedClusters.listClusterUserCredentials(rg, name);
        const value = result.kubeconfigs?.[0]?.value;
        if (value === undefined) throw new ExternalError(`Cluster ${rg}/${name} returned no kubeconfig.`);
        return Buffer.from(value).toString("utf8");
      }),
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

async function orAbsent<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw toExternalError(error, what);
  }
}

async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toExternalError(error, what);
  }
}

function toExternalError(error: unknown, what: string): Error {
  if (error instanceof ExternalError || error instanceof UsageError) return error;
  const name = (error as { name?: string } | null)?.name ?? "";
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  if (/CredentialUnavailable|AuthenticationError|AggregateAuthentication/.test(name)) {
    return new ExternalError(`No Azure credentials while ${what}: ${message}`, {
      hint: "Run `az login` (and `az account set -s <subscription>`), or set AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_CLIENT_SECRET.",
      cause: error,
    });
  }
  const status = statusOf(error);
  const hint =
    status === 403
      ? "Your identity lacks permission; it needs Contributor (or Azure Kubernetes Service Contributor) on the subscription or resource group."
      : status === 409
        ? "Another operation is running on this resource; wait for it and run again."
        : "See the message above; the Azure portal's activity log has details.";
  return new ExternalError(`Azure refused ${what}: ${message}`, { hint, cause: error });
}
