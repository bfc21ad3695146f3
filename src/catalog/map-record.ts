import type { Artwork, CatalogIssue } from "./artwork.js";
import type { ImageBase } from "./catalog-source.js";
import type { ColumnPlan } from "./column-plan.js";
import { resolveImageRef } from "./resolve-image-ref.js";

/** A row before the id-level checks (shard, duplicates) that need the whole catalog's state. */
export type MappedRow =
  | { kind: "artwork"; artwork: Artwork }
  | { kind: "issue"; issue: CatalogIssue; needsId: false }
  | { kind: "issue"; issue: CatalogIssue & { id: string }; needsId: true };

/** Maps one parsed record (column name → value) to an Artwork or says why it cannot be one. */
export function mapRecord(
  record: Record<string, string>,
  plan: ColumnPlan,
  where: { row: number; line?: number },
  base: ImageBase,
): MappedRow {
  const id = plan.id === undefined ? "" : (record[plan.id] ?? "").trim();
  if (id === "") {
    return {
      kind: "issue",
      needsId: false,
      issue: { ...where, reason: "missing_id", message: "row has no id" },
    };
  }
  let image: string | undefined;
  const refused: string[] = [];
  for (const column of plan.images) {
    const value = (record[column] ?? "").trim();
    if (value === "") continue;
    const ref = resolveImageRef(value, base);
    if (ref.ok) {
      image = ref.image;
      break;
    }
    refused.push(`${column}: ${ref.reason}`);
  }
  if (image === undefined) {
    const message =
      refused.length > 0
        ? `no usable image (${refused.join("; ")})`
        : `no value in ${plan.images.join(" or ") || "any image column"}`;
    return { kind: "issue", needsId: true, issue: { ...where, id, reason: "missing_image", message } };
  }
  const facets: Record<string, string> = {};
  const skip = new Set<string>();
  if (plan.id !== undefined) skip.add(plan.id);
  for (const [facet, column] of plan.facets) {
    facets[facet] = column === undefined ? "" : (record[column] ?? "").trim();
    if (column !== undefined) skip.add(column);
  }
  const meta: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) if (!skip.has(key)) meta[key] = value;
  return { kind: "artwork", artwork: { id, ...where, image, facets, meta } };
}
