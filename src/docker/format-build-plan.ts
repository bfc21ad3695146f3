import type { BuildPlan } from "./build-image.js";

/** `mosaic docker build --dry-run` for people: a summary as comments, then the Dockerfile it would use. */
export function formatBuildPlan(plan: BuildPlan): string {
  const mib = (plan.contextBytes / (1024 * 1024)).toFixed(1);
  const lines = [
    "# mosaic docker build --dry-run: no Docker engine was contacted and nothing was written.",
    `# tag:         ${plan.tag}${plan.gpu ? " (GPU)" : ""}`,
    `# base image:  ${plan.baseImage}`,
    `# mosaic from: ${plan.appRoot}`,
    `# context:     ${plan.contextFiles} files, ${mib} MiB; ${plan.packages} packages from the installed tree; native binaries for linux/${plan.arch}`,
    `# models:      ${plan.models.length > 0 ? plan.models.join(", ") : "none (converted on the first real build, or passed at run time)"}`,
    `# context hash ${plan.contextHash}`,
    "#",
    "# Dockerfile:",
  ];
  return `${lines.join("\n")}\n${plan.dockerfile.replace(/\n$/, "")}`;
}
