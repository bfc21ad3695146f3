import type { IndexColumns, IndexRecord } from "../vector-index/types.js";

/**
 * The original service's artwork object: the catalog row as one flat object under the catalog's own
 * column names (`id`, `Title`, …, `Culture`, `Classification`), as its 2020 clients read fields straight
 * off it. The image columns are among the metadata already. Indexes that predate `columns` in the
 * manifest fall back to the facet names.
 */
export function legacyArtwork(
  record: IndexRecord,
  columns: IndexColumns | undefined,
): Record<string, string> {
  const out: Record<string, string> = { [columns?.id ?? "id"]: record.id };
  for (const [key, value] of Object.entries(record.meta)) out[key] = value;
  for (const [facet, value] of Object.entries(record.facets)) out[columns?.facets[facet] ?? facet] = value;
  return out;
}

/** `GET /v1/artworks/:id`: the record as the v1 API shows it (same fields as a search hit). */
export function artworkJson(record: IndexRecord) {
  return { id: record.id, image: record.image, facets: record.facets, meta: record.meta };
}
