import type {
  AgentPoolInfo,
  ClusterInfo,
  CloudClient,
  ResourceGroupInfo,
  RoleAssignmentInfo,
  VcpuUsage,
  VmSizeOffer,
} from "./cloud-client.js";
import { ROLE_ASSIGNMENT_API_VERSION, SDK_CALLS } from "./cloud-client.js";

/** One Azure call as the plan shows it: the SDK method and its arguments (request bodies included). */
export interface RecordedCall {
  method: keyof CloudClient;
  sdk: string;
  args: unknown[];
}

/** What the planning cloud answers reads from; writes update it. Empty: nothing exists yet. */
export interface PlanningState {
  resourceGroups?: Map<string, ResourceGroupInfo>;
  /** Keyed "<resourceGroup>/<cluster>". */
  clusters?: Map<string, ClusterInfo>;
  /** Keyed "<resourceGroup>/<cluster>/<pool>". */
  agentPools?: Map<string, AgentPoolInfo>;
  /** Keyed "<location>/<vmSize>"; a missing entry reads as "cannot tell". */
  offers?: Map<string, VmSizeOffer>;
  /** Keyed "<location>/<family>". */
  usage?: Map<string, VcpuUsage>;
  /** Registry name → resource id; a name not here is answered with a made-up id (the plan assumes it exists). */
  registries?: Map<string, string | undefined>;
  /** Role assignment ids that exist. */
  roleAssignments?: Map<string, RoleAssignmentInfo>;
  /** Shown in made-up resource ids (the registry's); default "(subscription)". */
  subscription?: string | undefined;
}

export interface PlanningCloud extends CloudClient {
  readonly calls: RecordedCall[];
  readonly state: Required<Omit<PlanningState, "subscription">>;
}

/**
 * A CloudClient that touches nothing: it records every call with its arguments and answers reads from
 * an in-memory state. `--dry-run` runs the real orchestration against it to print the plan; tests run
 * it with a state that says what already exists.
 */
export function createPlanningCloud(initial: PlanningState = {}): PlanningCloud {
  const subscription = initial.subscription ?? "(subscription)";
  const state: Required<Omit<PlanningState, "subscription">> = {
    resourceGroups: initial.resourceGroups ?? new Map(),
    clusters: initial.clusters ?? new Map(),
    agentPools: initial.agentPools ?? new Map(),
    offers: initial.offers ?? new Map(),
    usage: initial.usage ?? new Map(),
    registries: initial.registries ?? new Map(),
    roleAssignments: initial.roleAssignments ?? new Map(),
  };
  const calls: RecordedCall[] = [];
  const record = (method: keyof CloudClient, ...args: unknown[]) =>
    void calls.push({ method, sdk: SDK_CALLS[method], args: structuredClone(args) });
  return {
    calls,
    state,
    async getResourceGroup(name) {
      record("getResourceGroup", name);
      return state.resourceGroups.get(name);
    },
    async createResourceGroup(name, body) {
      record("createResourceGroup", name, body);
      state.resourceGroups.set(name, { location: body.location, tags: body.tags });
    },
    async deleteResourceGroup(name) {
      record("deleteResourceGroup", name);
      state.resourceGroups.delete(name);
      for (const key of [...state.clusters.keys()])
        if (key.startsWith(`${name}/`)) state.clusters.delete(key);
    },
    async getCluster(rg, cluster) {
      record("getCluster", rg, cluster);
      return state.clusters.get(`${rg}/${cluster}`);
    },
    async createCluster(rg, cluster, body) {
      record("createCluster", rg, cluster, body);
      state.clusters.set(`${rg}/${cluster}`, {
        location: body.location,
        tags: body.tags,
        provisioningState: "Succeeded",
        kubernetesVersion: body.kubernetesVersion,
        // Azure makes it with the cluster; the plan can only name it.
        kubeletObjectId: `(kubelet identity of ${rg}/${cluster})`,
      });
      for (const pool of body.agentPoolProfiles) {
        state.agentPools.set(`${rg}/${cluster}/${pool.name}`, {
          vmSize: pool.vmSize,
          minCount: pool.minCount,
          maxCount: pool.maxCount,
          enableAutoScaling: pool.enableAutoScaling ?? false,
          tags: pool.tags ?? {},
          provisioningState: "Succeeded",
        });
      }
    },
    async deleteCluster(rg, cluster) {
      record("deleteCluster", rg, cluster);
      state.clusters.delete(`${rg}/${cluster}`);
    },
    async getAgentPool(rg, cluster, pool) {
      record("getAgentPool", rg, cluster, pool);
      return state.agentPools.get(`${rg}/${cluster}/${pool}`);
    },
    async putAgentPool(rg, cluster, pool, body) {
      record("putAgentPool", rg, cluster, pool, body);
      state.agentPools.set(`${rg}/${cluster}/${pool}`, {
        vmSize: body.vmSize,
        minCount: body.minCount,
        maxCount: body.maxCount,
        enableAutoScaling: body.enableAutoScaling ?? false,
        tags: body.tags ?? {},
        provisioningState: "Succeeded",
      });
    },
    async deleteAgentPool(rg, cluster, pool) {
      record("deleteAgentPool", rg, cluster, pool);
      state.agentPools.delete(`${rg}/${cluster}/${pool}`);
    },
    async vmSizeOffer(location, vmSize) {
      record("vmSizeOffer", { filter: `location eq '${location}'` });
      return state.offers.get(`${location}/${vmSize}`);
    },
    async vcpuUsage(location, family) {
      record("vcpuUsage", location);
      return state.usage.get(`${location}/${family}`);
    },
    async findRegistry(name) {
      record("findRegistry", {
        filter: `resourceType eq 'Microsoft.ContainerRegistry/registries' and name eq '${name}'`,
      });
      const id = state.registries.has(name)
        ? state.registries.get(name)
        : `/subscriptions/${subscription}/resourceGroups/(registry's group)/providers/Microsoft.ContainerRegistry/registries/${name}`;
      return id === undefined ? undefined : { id };
    },
    async getRoleAssignment(id) {
      record("getRoleAssignment", id, ROLE_ASSIGNMENT_API_VERSION);
      return state.roleAssignments.get(id);
    },
    async createRoleAssignment(id, body) {
      record("createRoleAssignment", id, ROLE_ASSIGNMENT_API_VERSION, body);
      state.roleAssignments.set(id, {
        roleDefinitionId: body.properties.roleDefinitionId,
        principalId: body.properties.principalId,
      });
      return "created";
    },
    async userKubeconfig(rg, cluster) {
      record("userKubeconfig", rg, cluster);
      return `# kubeconfig of ${rg}/${cluster} (from listClusterUserCredentials)\n`;
    },
  };
}
