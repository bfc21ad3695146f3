import type { AksPlan } from "./deploy-aks.js";
import { toYamlDocuments } from "./to-yaml.js";

/**
 * The dry-run plan as YAML on stdout: Azure calls as comments (with their request bodies), then every
 * Kubernetes object as a document — so `mosaic deploy aks --dry-run | kubectl apply -f -` also works.
 */
export function formatPlan(plan: AksPlan): string {
  const out = ["# mosaic deploy aks --dry-run: nothing was read or changed."];
  if (plan.azure.length > 0) {
    out.push(
      "#",
      "# Azure calls, in order (on a real run, reads decide whether the writes after them happen):",
    );
    plan.azure.forEach((call, i) => {
      const args = call.args.map((a) => JSON.stringify(a, null, 2).split("\n").join("\n#       "));
      out.push(`#   ${i + 1}. ${call.sdk}(${args.join(", ")})`);
    });
  }
  if (plan.deletes.length > 0) {
    out.push("#", "# Kubernetes objects deleted (only those mosaic labelled):");
    for (const line of plan.deletes) out.push(`#   ${line}`);
  }
  if (plan.manifests.length === 0) return `${out.join("\n")}\n`;
  out.push(
    "#",
    "# Kubernetes objects: each is created, or server-side-applied when its mosaic.dev/spec-hash differs.",
  );
  return `${out.join("\n")}\n---\n${toYamlDocuments(plan.manifests)}`;
}
