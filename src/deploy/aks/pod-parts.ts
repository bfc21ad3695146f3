import { CONTAINER_UID } from "../../docker/labels.js";
import type { AksSettings } from "./aks-settings.js";

/** Where pods may run: mosaic's node pool on AKS; anywhere on a cluster given by --kubeconfig. */
export interface Placement {
  /** AKS agent pool name for the nodeSelector; undefined: no selector. */
  nodePool?: string | undefined;
}

const GPU = "nvidia.com/gpu";

/** requests/limits: the original service's 2 CPU / 16 GB by default, plus one GPU when enabled. */
export function podResources(settings: AksSettings): Record<string, Record<string, string>> {
  const gpu: Record<string, string> = settings.gpu ? { [GPU]: "1" } : {};
  return {
    requests: { cpu: settings.cpu, memory: settings.memory, ...gpu },
    limits: { memory: settings.memory, ...gpu },
  };
}

/** nodeSelector, tolerations and security context shared by the service and job pods. */
export function podPlacement(settings: AksSettings, placement: Placement): Record<string, unknown> {
  return {
    ...(placement.nodePool ? { nodeSelector: { "kubernetes.azure.com/agentpool": placement.nodePool } } : {}),
    ...(settings.gpu
      ? {
          tolerations: [
            { key: "sku", operator: "Equal", value: "gpu", effect: "NoSchedule" },
            { key: GPU, operator: "Exists", effect: "NoSchedule" },
          ],
        }
      : {}),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: CONTAINER_UID,
      runAsGroup: CONTAINER_UID,
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}

/**
 * The container fields the Pod Security Standards' `restricted` profile asks for (the namespace enforces
 * it): no privilege escalation, every capability dropped, non-root, the runtime's seccomp profile.
 */
export function containerSecurityContext(): Record<string, unknown> {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Storage credentials for Blob, from a Secret the user creates; pods start without it (SAS URLs need none). */
export function storageEnvFrom(settings: AksSettings): unknown[] {
  return [{ secretRef: { name: settings.storageSecret, optional: true } }];
}
