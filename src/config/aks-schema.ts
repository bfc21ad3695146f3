import { z } from "zod";

const positiveInt = z.number().int().positive();
/** Kubernetes object and namespace names: RFC 1123 labels. */
const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "lower-case letters, digits and '-', at most 63");
/** CPU and memory quantities as Kubernetes writes them ("2", "500m", "16Gi"). */
const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, "a Kubernetes quantity like 2, 500m or 16Gi");

/**
 * `aks` section: where `mosaic deploy aks` puts the scoring service (and featurize jobs). Everything has
 * a default except `image` (a registry the cluster can pull from) and `index` (a Blob location).
 */
export const aksSchema = z
  .object({
    /** Azure subscription id; default AZURE_SUBSCRIPTION_ID. */
    subscription: z.string().min(1).optional(),
    resourceGroup: z.string().min(1).max(90).default("mosaic"),
    location: z.string().min(1).default("eastus"),
    cluster: z
      .string()
      .regex(/^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/, "1-63 letters, digits, '-' and '_'")
      .default("mosaic"),
    /** Kubernetes version for a new cluster; default: the region's default. */
    kubernetesVersion: z.string().min(1).optional(),
    /** The user node pool mosaic's pods run on (AKS pool names: ≤ 12 lower-case letters/digits). */
    nodePool: z
      .string()
      .regex(/^[a-z][a-z0-9]{0,11}$/, "1-12 lower-case letters and digits, starting with a letter")
      .default("mosaic"),
    /** VM size of that pool; default Standard_D8s_v5, or Standard_NC4as_T4_v3 with gpu. */
    nodeVmSize: z.string().min(1).optional(),
    minNodes: z.number().int().min(0).max(1000).default(1),
    maxNodes: positiveInt.max(1000).default(3),
    /** GPU nodes and `nvidia.com/gpu: 1` per pod (needs the NVIDIA device plugin on the pool). */
    gpu: z.boolean().default(false),
    /** Name of the Deployment/Service/HPA (and prefix of jobs). */
    name: dnsLabel.default("mosaic"),
    namespace: dnsLabel.default("mosaic"),
    /** Container image the cluster can pull, e.g. myregistry.azurecr.io/mosaic:1.0. */
    image: z.string().min(1).optional(),
    /**
     * Azure Container Registry the cluster pulls aks.image from (its name or <name>.azurecr.io); default:
     * aks.image's registry when that is *.azurecr.io. The cluster's kubelet identity gets AcrPull on it.
     */
    registry: z.string().min(1).optional(),
    /** Assign AcrPull on aks.registry (needs Owner or User Access Administrator there); false: done already. */
    attachRegistry: z.boolean().default(true),
    /** Blob location of the index the service loads at start (az://… or https://…blob.core.windows.net/…). */
    index: z.string().min(1).optional(),
    /** Replicas the autoscaler keeps at least / at most. */
    replicas: positiveInt.max(1000).default(2),
    maxReplicas: positiveInt.max(1000).default(6),
    /** Average CPU utilisation (% of the request) the autoscaler aims for. */
    targetCpuPercent: z.number().int().min(1).max(100).default(70),
    /** Per pod (the original MosAIc service: 2 CPU, 16 GB). */
    cpu: quantity.default("2"),
    memory: quantity.default("16Gi"),
    /** Also create an Ingress for this host (needs an ingress controller in the cluster). */
    ingressHost: z.string().min(1).optional(),
    ingressClass: z.string().min(1).optional(),
    /** Secret whose keys become the pods' env (AZURE_STORAGE_CONNECTION_STRING, …); optional in the pod. */
    storageSecret: dnsLabel.default("mosaic-storage"),
    /** Blob prefix for featurize jobs' partial indexes (`<work>/parts/<i>`); default `<index>-work`. */
    work: z.string().min(1).optional(),
    /** Shard pods running at once; default: all shards. */
    parallelism: positiveInt.max(10_000).optional(),
    /** Retries of one failed shard before it counts as failed (backoffLimitPerIndex). */
    shardRetries: z.number().int().min(0).max(10).default(2),
  })
  .strict();

export type AksConfigInput = z.input<typeof aksSchema>;
export type AksConfig = z.output<typeof aksSchema>;
