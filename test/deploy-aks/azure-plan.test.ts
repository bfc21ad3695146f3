// biome-ignore-all lint/suspicious/noExplicitAny: manifests and request bodies are plain JSON, read back field by field
import { describe, expect, it } from "vitest";
import type { AgentPoolInfo } from "../../src/deploy/aks/cloud-client.js";
import { deleteAzureResources } from "../../src/deploy/aks/delete-deployment.js";
import { ensureCluster } from "../../src/deploy/aks/ensure-cluster.js";
import { createPlanningCloud, type PlanningState } from "../../src/deploy/aks/planning-cloud.js";
import { MosaicError, UsageError } from "../../src/errors.js";
import { recordingReporter, settings } from "./fixtures.js";

const OFFERED: PlanningState = {
  offers: new Map([["eastus/Standard_D8s_v5", { offered: true, family: "standardDSv5Family", vcpus: 8 }]]),
  usage: new Map([
    ["eastus/standardDSv5Family", { family: { used: 4, limit: 100 }, regional: { used: 10, limit: 200 } }],
  ]),
};
const MANAGED = { "managed-by": "mosaic" };
const pool = (over: Partial<AgentPoolInfo> = {}): AgentPoolInfo => ({
  vmSize: "Standard_D8s_v5",
  minCount: 1,
  maxCount: 3,
  enableAutoScaling: true,
  tags: MANAGED,
  provisioningState: "Succeeded",
  ...over,
});

describe("AcrPull for the cluster's kubelet identity (recorded request shapes)", () => {
  const existing = (extra: PlanningState = {}) =>
    createPlanningCloud({
      ...OFFERED,
      resourceGroups: new Map([["mosaic", { location: "eastus", tags: MANAGED }]]),
      clusters: new Map([
        [
          "mosaic/mosaic",
          {
            location: "eastus",
            tags: MANAGED,
            provisioningState: "Succeeded",
            kubernetesVersion: undefined,
            kubeletObjectId: "5b0c0e1a-kubelet",
          },
        ],
      ]),
      agentPools: new Map([["mosaic/mosaic/mosaic", pool()]]),
      registries: new Map([["myregistry", REGISTRY_ID]]),
      ...extra,
    });
  const REGISTRY_ID =
    "/subscriptions/sub-1/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/myregistry";

  it("assigns AcrPull on aks.image's registry, by a stable id, once", async () => {
    const cloud = existing();
    const reporter = recordingReporter();
    await ensureCluster(cloud, settings(), reporter);
    const create = cloud.calls.find((c) => c.method === "createRoleAssignment")!;
    expect(cloud.calls.find((c) => c.method === "findRegistry")!.args).toEqual([
      { filter: "resourceType eq 'Microsoft.ContainerRegistry/registries' and name eq 'myregistry'" },
    ]);
    const [id, apiVersion, body] = create.args as [string, string, any];
    expect(id).toMatch(
      new RegExp(
        `^${REGISTRY_ID}/providers/Microsoft.Authorization/roleAssignments/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$`,
      ),
    );
    expect(apiVersion).toBe("2022-04-01");
    expect(body).toEqual({
      properties: {
        roleDefinitionId:
          "/subscriptions/sub-1/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d",
        principalId: "5b0c0e1a-kubelet",
        principalType: "ServicePrincipal",
      },
    });
    expect(reporter.events).toContainEqual(
      expect.objectContaining({
        target: "AcrPull on registry myregistry for cluster mosaic",
        outcome: "created",
      }),
    );
    cloud.calls.splice(0);
    await ensureCluster(cloud, settings(), recordingReporter());
    expect(cloud.calls.some((c) => c.method === "createRoleAssignment")).toBe(false);
  });

  it("uses aks.registry, skips a non-ACR image or attachRegistry: false, and names a missing registry", async () => {
    const named = existing({ registries: new Map([["other", REGISTRY_ID.replace("myregistry", "other")]]) });
    await ensureCluster(named, settings({ registry: "other.azurecr.io" }), recordingReporter());
    expect(named.calls.filter((c) => c.method === "createRoleAssignment")).toHaveLength(1);
    for (const s of [settings({ image: "ghcr.io/museum/mosaic:1" }), settings({ attachRegistry: false })]) {
      const cloud = existing();
      await ensureCluster(cloud, s, recordingReporter());
      expect(cloud.calls.some((c) => c.method === "findRegistry")).toBe(false);
    }
    const missing = existing({ registries: new Map([["myregistry", undefined]]) });
    const error = await ensureCluster(missing, settings(), recordingReporter()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      "No container registry named myregistry in this subscription.",
    );
    expect((error as UsageError).hint).toContain("mosaic docker push myregistry.azurecr.io");
  });
});

describe("ensureCluster against a recording cloud", () => {
  it("from nothing: checks the VM size and quota, then creates group and cluster (tagged), then gets credentials", async () => {
    const cloud = createPlanningCloud(OFFERED);
    const kubeconfig = await ensureCluster(cloud, settings(), recordingReporter());
    expect(kubeconfig).toMatch(/kubeconfig of mosaic\/mosaic/);
    expect(cloud.calls).toMatchSnapshot();
    expect(cloud.calls.map((c) => c.sdk)).toEqual([
      "resources.resourceGroups.get",
      "resources.resourceGroups.createOrUpdate",
      "containerService.managedClusters.get",
      "compute.resourceSkus.list",
      "compute.usage.list",
      "containerService.managedClusters.createOrUpdate",
      "resources.resources.list",
      "containerService.managedClusters.get",
      "resources.resources.getById",
      "resources.resources.createOrUpdateById",
      "containerService.managedClusters.listClusterUserCredentials",
    ]);
    const body = cloud.calls[5]!.args[2] as any;
    expect(body.tags).toEqual(MANAGED);
    expect(body.agentPoolProfiles[1]).toMatchObject({
      name: "mosaic",
      mode: "User",
      vmSize: "Standard_D8s_v5",
      enableAutoScaling: true,
      minCount: 1,
      maxCount: 3,
    });
  });

  it("second run: only reads, and the credentials", async () => {
    const cloud = createPlanningCloud(OFFERED);
    await ensureCluster(cloud, settings(), recordingReporter());
    cloud.calls.splice(0);
    await ensureCluster(cloud, settings(), recordingReporter());
    expect(cloud.calls.map((c) => c.method)).toEqual([
      "getResourceGroup",
      "getCluster",
      "getAgentPool",
      "findRegistry",
      "getCluster",
      "getRoleAssignment",
      "userKubeconfig",
    ]);
  });

  it("adds mosaic's node pool (GPU: tainted) to a cluster that was already there", async () => {
    const cloud = createPlanningCloud({
      ...OFFERED,
      offers: new Map([
        ["westeurope/Standard_NC4as_T4_v3", { offered: true, family: "standardNCASv3_T4Family", vcpus: 4 }],
      ]),
      resourceGroups: new Map([["rg", { location: "westeurope", tags: {} }]]),
      clusters: new Map([
        [
          "rg/prod",
          {
            location: "westeurope",
            tags: {},
            provisioningState: "Succeeded",
            kubernetesVersion: "1.31.2",
            kubeletObjectId: "k-1",
          },
        ],
      ]),
    });
    await ensureCluster(
      cloud,
      settings({ resourceGroup: "rg", cluster: "prod", location: "westeurope", gpu: true }),
      recordingReporter(),
    );
    const put = cloud.calls.find((c) => c.method === "putAgentPool")!;
    expect(put.args.slice(0, 3)).toEqual(["rg", "prod", "mosaic"]);
    expect(put.args[3]).toMatchObject({
      vmSize: "Standard_NC4as_T4_v3",
      mode: "User",
      nodeTaints: ["sku=gpu:NoSchedule"],
      tags: MANAGED,
    });
    expect(cloud.calls.some((c) => c.method === "createCluster" || c.method === "createResourceGroup")).toBe(
      false,
    );
  });

  it("stops before creating anything when the quota is short", async () => {
    const cloud = createPlanningCloud({
      ...OFFERED,
      usage: new Map([
        ["eastus/standardDSv5Family", { family: { used: 90, limit: 100 }, regional: undefined }],
      ]),
    });
    const err = await ensureCluster(cloud, settings(), recordingReporter()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MosaicError);
    expect((err as Error).message).toMatch(
      /24 standardDSv5Family vCPUs needed \(3 × Standard_D8s_v5\), 10 of 100 free/,
    );
    expect(cloud.calls.some((c) => c.method === "createCluster")).toBe(false);
  });

  it("refuses a VM size the region does not offer", async () => {
    const cloud = createPlanningCloud({
      offers: new Map([
        ["eastus/Standard_D8s_v5", { offered: false, reason: "not available to this subscription" }],
      ]),
    });
    const err = await ensureCluster(cloud, settings(), recordingReporter()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).hint).toMatch(/az vm list-skus -l eastus/);
  });

  it("refuses to change the VM size of an existing pool, and leaves a foreign pool's scaling alone", async () => {
    const base = {
      ...OFFERED,
      resourceGroups: new Map([["mosaic", { location: "eastus", tags: MANAGED }]]),
      clusters: new Map([
        [
          "mosaic/mosaic",
          {
            location: "eastus",
            tags: MANAGED,
            provisioningState: "Succeeded",
            kubernetesVersion: undefined,
            kubeletObjectId: "k-1",
          },
        ],
      ]),
    };
    const wrongSize = createPlanningCloud({
      ...base,
      agentPools: new Map([["mosaic/mosaic/mosaic", pool({ vmSize: "Standard_D4s_v5" })]]),
    });
    await expect(ensureCluster(wrongSize, settings(), recordingReporter())).rejects.toThrow(
      /cannot change|has VM size/,
    );

    const foreign = createPlanningCloud({
      ...base,
      agentPools: new Map([["mosaic/mosaic/mosaic", pool({ tags: {}, maxCount: 9 })]]),
    });
    const reporter = recordingReporter();
    await ensureCluster(foreign, settings(), reporter);
    expect(foreign.calls.some((c) => c.method === "putAgentPool")).toBe(false);
    expect(reporter.events).toContainEqual(
      expect.objectContaining({ target: "node pool mosaic/mosaic", outcome: "kept" }),
    );

    const ours = createPlanningCloud({
      ...base,
      agentPools: new Map([["mosaic/mosaic/mosaic", pool({ maxCount: 9 })]]),
    });
    await ensureCluster(ours, settings(), recordingReporter());
    expect(ours.calls.find((c) => c.method === "putAgentPool")?.args[3]).toMatchObject({ maxCount: 3 });
  });
});

describe("deleteAzureResources", () => {
  it("deletes the cluster and group only when tagged managed-by=mosaic", async () => {
    const cloud = createPlanningCloud(OFFERED);
    await ensureCluster(cloud, settings(), recordingReporter());
    cloud.calls.splice(0);
    await deleteAzureResources(cloud, settings(), recordingReporter());
    expect(cloud.calls.map((c) => [c.sdk, ...c.args])).toEqual([
      ["containerService.managedClusters.get", "mosaic", "mosaic"],
      ["containerService.managedClusters.delete", "mosaic", "mosaic"],
      ["resources.resourceGroups.get", "mosaic"],
      ["resources.resourceGroups.beginDeleteAndWait", "mosaic"],
    ]);
  });

  it("in someone else's cluster removes only mosaic's node pool", async () => {
    const cloud = createPlanningCloud({
      resourceGroups: new Map([["rg", { location: "eastus", tags: {} }]]),
      clusters: new Map([
        [
          "rg/prod",
          { location: "eastus", tags: {}, provisioningState: "Succeeded", kubernetesVersion: undefined },
        ],
      ]),
      agentPools: new Map([["rg/prod/mosaic", pool()]]),
    });
    const reporter = recordingReporter();
    await deleteAzureResources(cloud, settings({ resourceGroup: "rg", cluster: "prod" }), reporter);
    expect(cloud.calls.filter((c) => c.method.startsWith("delete")).map((c) => c.sdk)).toEqual([
      "containerService.agentPools.delete",
    ]);
    expect(reporter.events.map((e) => e.type === "azure" && `${e.outcome} ${e.target}`)).toEqual([
      "kept cluster rg/prod",
      "deleted node pool prod/mosaic",
      "kept resource group rg",
    ]);
  });
});
