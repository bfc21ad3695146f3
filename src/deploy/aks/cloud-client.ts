/**
 * The Azure Resource Manager calls mosaic makes. src/infra/azure-cloud.ts implements it with the Azure
 * SDK (one SDK call per method, see SDK_CALLS); the dry-run plan and tests use createPlanningCloud.
 * Request bodies are the SDK's own shapes, trimmed to the fields mosaic sets.
 */
export interface CloudClient {
  /** undefined when the resource group does not exist. */
  getResourceGroup(name: string): Promise<ResourceGroupInfo | undefined>;
  createResourceGroup(name: string, body: ResourceGroupRequest): Promise<void>;
  deleteResourceGroup(name: string): Promise<void>;
  getCluster(resourceGroup: string, cluster: string): Promise<ClusterInfo | undefined>;
  /** Long-running: resolves when the cluster is provisioned. */
  createCluster(resourceGroup: string, cluster: string, body: ClusterRequest): Promise<void>;
  deleteCluster(resourceGroup: string, cluster: string): Promise<void>;
  getAgentPool(resourceGroup: string, cluster: string, pool: string): Promise<AgentPoolInfo | undefined>;
  putAgentPool(resourceGroup: string, cluster: string, pool: string, body: AgentPoolRequest): Promise<void>;
  deleteAgentPool(resourceGroup: string, cluster: string, pool: string): Promise<void>;
  /** The VM size as offered to this subscription in the region; undefined when this client cannot tell. */
  vmSizeOffer(location: string, vmSize: string): Promise<VmSizeOffer | undefined>;
  /** vCPU usage and limits in the region; undefined when this client cannot tell. */
  vcpuUsage(location: string, family: string): Promise<VcpuUsage | undefined>;
  /** The cluster's user kubeconfig (YAML). */
  userKubeconfig(resourceGroup: string, cluster: string): Promise<string>;
  /** The container registry of that name in the subscription (any resource group); undefined when none. */
  findRegistry(name: string): Promise<{ id: string } | undefined>;
  /** A role assignment by its full id (`<scope>/providers/Microsoft.Authorization/roleAssignments/<guid>`). */
  getRoleAssignment(id: string): Promise<RoleAssignmentInfo | undefined>;
  /** Creates it; "exists" when the same role is already assigned to that principal under another name. */
  createRoleAssignment(id: string, body: RoleAssignmentRequest): Promise<"created" | "exists">;
}

/** The SDK call behind each method, for the dry-run plan. */
export const SDK_CALLS: Record<keyof CloudClient, string> = {
  getResourceGroup: "resources.resourceGroups.get",
  createResourceGroup: "resources.resourceGroups.createOrUpdate",
  deleteResourceGroup: "resources.resourceGroups.beginDeleteAndWait",
  getCluster: "containerService.managedClusters.get",
  createCluster: "containerService.managedClusters.createOrUpdate",
  deleteCluster: "containerService.managedClusters.delete",
  getAgentPool: "containerService.agentPools.get",
  putAgentPool: "containerService.agentPools.createOrUpdate",
  deleteAgentPool: "containerService.agentPools.delete",
  vmSizeOffer: "compute.resourceSkus.list",
  vcpuUsage: "compute.usage.list",
  userKubeconfig: "containerService.managedClusters.listClusterUserCredentials",
  findRegistry: "resources.resources.list",
  getRoleAssignment: "resources.resources.getById",
  createRoleAssignment: "resources.resources.createOrUpdateById",
};

/** The API version role assignments are read and written with (generic resource calls). */
export const ROLE_ASSIGNMENT_API_VERSION = "2022-04-01";

export interface RoleAssignmentInfo {
  roleDefinitionId: string;
  principalId: string;
}

export interface RoleAssignmentRequest {
  properties: { roleDefinitionId: string; principalId: string; principalType: "ServicePrincipal" };
}

export type Tags = Record<string, string>;

export interface ResourceGroupInfo {
  location: string;
  tags: Tags;
}

export interface ResourceGroupRequest {
  location: string;
  tags: Tags;
}

export interface ClusterInfo {
  location: string;
  tags: Tags;
  provisioningState: string | undefined;
  kubernetesVersion: string | undefined;
  /** Object id of the identity the nodes pull images with (identityProfile.kubeletidentity). */
  kubeletObjectId?: string | undefined;
}

export interface AgentPoolProfile {
  name: string;
  mode: "System" | "User";
  vmSize: string;
  osType: "Linux";
  count: number;
  enableAutoScaling?: boolean;
  minCount?: number;
  maxCount?: number;
  nodeTaints?: string[];
  tags?: Tags;
}

export interface ClusterRequest {
  location: string;
  tags: Tags;
  dnsPrefix: string;
  kubernetesVersion?: string;
  identity: { type: "SystemAssigned" };
  agentPoolProfiles: AgentPoolProfile[];
}

export type AgentPoolRequest = Omit<AgentPoolProfile, "name">;

export interface AgentPoolInfo {
  vmSize: string | undefined;
  minCount: number | undefined;
  maxCount: number | undefined;
  enableAutoScaling: boolean;
  tags: Tags;
  provisioningState: string | undefined;
}

export type VmSizeOffer =
  | { offered: true; family: string; vcpus: number }
  | { offered: false; reason: string };

export interface VcpuUsage {
  family: { used: number; limit: number } | undefined;
  regional: { used: number; limit: number } | undefined;
}
