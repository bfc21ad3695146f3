import type { AksReporter } from "./aks-events.js";
import type { AksSettings } from "./aks-settings.js";
import { type ApplyOutcome, applyObjects } from "./apply-objects.js";
import type { Clock } from "./clock.js";
import type { CloudClient } from "./cloud-client.js";
import { deleteAzureResources, deleteKubeObjects, OWNED_KINDS } from "./delete-deployment.js";
import { ensureCluster } from "./ensure-cluster.js";
import type { FeaturizeJobPlan } from "./job-manifests.js";
import type { KubeClient, KubeObject } from "./kube-client.js";
import { AZURE_MANAGED_TAG, deploymentSelector } from "./labels.js";
import { createPlanningCloud, type RecordedCall } from "./planning-cloud.js";
import type { PodConfig } from "./pod-config.js";
import type { Placement } from "./pod-parts.js";
import { type FeaturizeJobResult, featurizeJobObjects, runFeaturizeJob } from "./run-featurize-job.js";
import { buildNamespace, buildServeManifests } from "./serve-manifests.js";
import { withSpecHash } from "./spec-hash.js";
import { waitForEndpoint } from "./wait-for-endpoint.js";

/** The outside world of `mosaic deploy aks`. */
export interface AksDeps {
  /** Azure; unused when `kubeconfig` is given. */
  cloud: CloudClient | undefined;
  /** A kubeconfig (YAML) for an existing cluster: skips Azure entirely. */
  kubeconfig?: string | undefined;
  connectKube(kubeconfig: string): KubeClient;
  reporter: AksReporter;
  clock: Clock;
  signal?: AbortSignal | undefined;
}

export interface AksTimeouts {
  /** How long to wait for the Service's address, or for a Job. */
  timeoutMs: number;
  pollMs: number;
}

export interface DeployResult {
  endpoint: string;
  objects: { kind: string; name: string; outcome: ApplyOutcome }[];
}

const noReporter: AksReporter = { emit: () => undefined };

/** Ensures the cluster (unless a kubeconfig was given) and connects to it. */
async function connect(
  deps: AksDeps,
  settings: AksSettings,
): Promise<{ kube: KubeClient; placement: Placement }> {
  if (deps.kubeconfig !== undefined) return { kube: deps.connectKube(deps.kubeconfig), placement: {} };
  if (deps.cloud === undefined) throw new Error("deployAks needs a cloud client or a kubeconfig");
  const kubeconfig = await ensureCluster(deps.cloud, settings, deps.reporter);
  return { kube: deps.connectKube(kubeconfig), placement: { nodePool: settings.nodePool } };
}

/**
 * `mosaic deploy aks`: cluster and node pool (created when missing), then the Namespace, Deployment,
 * Service, HorizontalPodAutoscaler and optional Ingress, created or patched by spec hash; resolves with
 * the Service's public endpoint.
 */
export async function deployAks(
  deps: AksDeps,
  settings: AksSettings,
  pod: PodConfig,
  timeouts: AksTimeouts,
): Promise<DeployResult> {
  // Built once up front so a missing image or index stops the run before any Azure call.
  buildServeManifests(settings, {}, pod);
  const { kube, placement } = await connect(deps, settings);
  const desired = buildServeManifests(settings, placement, pod);
  const outcomes = await applyObjects(kube, desired, deps.reporter);
  const endpoint = await waitForEndpoint(
    kube,
    { namespace: settings.namespace, name: settings.name },
    { ...timeouts, clock: deps.clock, reporter: deps.reporter, signal: deps.signal },
  );
  deps.reporter.emit({ type: "endpoint", url: endpoint });
  return {
    endpoint,
    objects: desired.map((o, i) => ({ kind: o.kind, name: o.metadata.name, outcome: outcomes[i]! })),
  };
}

/** `mosaic deploy aks --job featurize --shards N`. */
export async function runAksFeaturizeJob(
  deps: AksDeps,
  settings: AksSettings,
  pod: PodConfig,
  plan: FeaturizeJobPlan,
  timeouts: AksTimeouts,
): Promise<FeaturizeJobResult> {
  featurizeJobObjects(settings, {}, pod, plan); // a missing image stops the run before any Azure call
  const { kube, placement } = await connect(deps, settings);
  return runFeaturizeJob(kube, settings, placement, pod, plan, {
    ...timeouts,
    clock: deps.clock,
    reporter: deps.reporter,
    signal: deps.signal,
  });
}

/** `mosaic deploy aks --delete`: what mosaic created, and only that. */
export async function deleteAks(deps: AksDeps, settings: AksSettings): Promise<void> {
  let kubeconfig = deps.kubeconfig;
  if (kubeconfig === undefined && deps.cloud !== undefined) {
    const cluster = await deps.cloud.getCluster(settings.resourceGroup, settings.cluster);
    if (cluster !== undefined)
      kubeconfig = await deps.cloud.userKubeconfig(settings.resourceGroup, settings.cluster);
  }
  // Kubernetes objects first, so Azure releases the load balancer's public IP before the cluster goes.
  if (kubeconfig !== undefined)
    await deleteKubeObjects(deps.connectKube(kubeconfig), settings, deps.reporter);
  if (deps.kubeconfig === undefined && deps.cloud !== undefined)
    await deleteAzureResources(deps.cloud, settings, deps.reporter);
}

export type AksAction =
  | { kind: "serve" }
  | { kind: "featurize"; plan: FeaturizeJobPlan }
  | { kind: "delete" };

/** What --dry-run prints: every Azure call in order with its request, and every object as applied. */
export interface AksPlan {
  azure: RecordedCall[];
  manifests: KubeObject[];
  /** For --delete: the label-selected deletions, as kubectl would spell them. */
  deletes: string[];
}

/**
 * Runs the same orchestration against a planning cloud that touches nothing (nothing exists yet, or for
 * --delete everything was created by mosaic), so the plan shows every call the real run could make.
 */
export async function planAks(
  settings: AksSettings,
  pod: PodConfig,
  action: AksAction,
  options: { useKubeconfig: boolean },
): Promise<AksPlan> {
  const placement: Placement = options.useKubeconfig ? {} : { nodePool: settings.nodePool };
  if (action.kind === "delete") {
    const cloud = createPlanningCloud();
    if (!options.useKubeconfig) {
      const tags = { ...AZURE_MANAGED_TAG };
      cloud.state.resourceGroups.set(settings.resourceGroup, { location: settings.location, tags });
      cloud.state.clusters.set(`${settings.resourceGroup}/${settings.cluster}`, {
        location: settings.location,
        tags,
        provisioningState: "Succeeded",
        kubernetesVersion: undefined,
      });
      await deleteAzureResources(cloud, settings, noReporter);
    }
    const selector = deploymentSelector(settings.name);
    const deletes = OWNED_KINDS.map(
      (t) => `kubectl delete ${t.kind.toLowerCase()} -n ${settings.namespace} -l ${selector}`,
    );
    deletes.push(`kubectl delete namespace ${settings.namespace}  # only when labelled ${selector}`);
    return { azure: cloud.calls, manifests: [], deletes };
  }
  const manifests =
    action.kind === "serve"
      ? buildServeManifests(settings, placement, pod)
      : [buildNamespace(settings), ...featurizeJobObjects(settings, placement, pod, action.plan)];
  const cloud = createPlanningCloud({ subscription: settings.subscription });
  if (!options.useKubeconfig) await ensureCluster(cloud, settings, noReporter);
  return { azure: cloud.calls, manifests: manifests.map(withSpecHash), deletes: [] };
}
