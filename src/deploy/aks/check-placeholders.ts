import { UsageError } from "../../errors.js";

/** `<registry>`, `<storage-account>`, `<…>`: text copied from the README and never filled in. */
const PLACEHOLDER = /<[^<>\s]*>|<…>/g;

/**
 * Refuses values that still hold a README placeholder, naming each field: a plan (or a deployment)
 * that pulls `<registry>.azurecr.io/mosaic:1` can only fail later, in the cluster, with ImagePullBackOff.
 */
export function checkPlaceholders(fields: Record<string, string | undefined>): void {
  const found = Object.entries(fields).flatMap(([field, value]) => {
    const holes = value?.match(PLACEHOLDER);
    return holes ? [`  - ${field}: "${value}" (${[...new Set(holes)].join(", ")})`] : [];
  });
  if (found.length === 0) return;
  throw new UsageError(`Unfilled placeholders in the AKS settings:\n${found.join("\n")}`, {
    hint: "Replace each <…> with your own value (e.g. <registry> with your Azure Container Registry's name) in mosaic.config.ts or the flag.",
  });
}
