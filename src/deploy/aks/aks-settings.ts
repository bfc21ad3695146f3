import { type AksConfig, aksSchema } from "../../config/aks-schema.js";
import { UsageError } from "../../errors.js";

export const DEFAULT_VM_SIZE = "Standard_D8s_v5";
export const DEFAULT_GPU_VM_SIZE = "Standard_NC4as_T4_v3";
/** The small pool AKS needs for its own system pods when mosaic creates the cluster. */
export const SYSTEM_POOL = { name: "system", vmSize: "Standard_D2s_v5", count: 1 } as const;

/** The `aks` config with every default applied, the VM size included. */
export type AksSettings = AksConfig & { nodeVmSize: string };

export function resolveAksSettings(aks: AksConfig | undefined): AksSettings {
  const parsed = aks ?? aksSchema.parse({});
  if (parsed.minNodes > parsed.maxNodes) {
    throw new UsageError(`aks.minNodes (${parsed.minNodes}) is above aks.maxNodes (${parsed.maxNodes}).`, {
      hint: "Set aks.minNodes ≤ aks.maxNodes.",
    });
  }
  if (parsed.replicas > parsed.maxReplicas) {
    throw new UsageError(
      `aks.replicas (${parsed.replicas}) is above aks.maxReplicas (${parsed.maxReplicas}).`,
      {
        hint: "Set aks.replicas ≤ aks.maxReplicas.",
      },
    );
  }
  return {
    ...parsed,
    nodeVmSize: parsed.nodeVmSize ?? (parsed.gpu ? DEFAULT_GPU_VM_SIZE : DEFAULT_VM_SIZE),
  };
}

export function requireImage(settings: AksSettings): string {
  if (settings.image) return settings.image;
  throw new UsageError("No container image to deploy: aks.image is not set.", {
    hint:
      "Build and push mosaic's image to a registry the cluster can pull from (`mosaic docker build`, then " +
      "`mosaic docker push <registry>.azurecr.io/mosaic:1` after `az acr login -n <registry>`), " +
      "then set aks.image in mosaic.config.ts or pass --image <registry>.azurecr.io/mosaic:1.",
  });
}

export function requireIndex(settings: AksSettings): string {
  if (settings.index) return settings.index;
  throw new UsageError("No index for the service: aks.index is not set.", {
    hint: "Publish an index (`mosaic index push .mosaic/index az://<container>/index`), then set aks.index or pass --index.",
  });
}

/** The blob prefix under which shard `i` writes `parts/<i>`. */
export function workPrefix(settings: AksSettings, out: string): string {
  return (settings.work ?? `${out.replace(/\/+$/, "")}-work`).replace(/\/+$/, "");
}

export function isBlobish(location: string): boolean {
  return /^az:\/\//i.test(location) || /^https?:\/\//i.test(location);
}
