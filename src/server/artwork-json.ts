import type { IndexRecord } from "../index/types.js";

/**
 * The original service's artwork object: the catalog row as one flat object (id, metadata columns,
 * facet values, image URL), as its clients read fields straight off it.
 */
export function legacyArtwork(record: IndexRecord): Record<string, string> {
  const out: Record<string, string> = { id: record.id };
  for (const [key, value] of Object.entries(record.meta)) out[key] = value;
  for (const [key, value] of Object.entries(record.facets)) out[key] = value;
  out.image = record.image;
  return out;
}

/** `GET /v1/artworks/:id`: the record as the v1 API shows it (same fields as a search hit). */
export function artworkJson(record: IndexRecord) {
  return { id: record.id, image: record.image, facets: record.facets, meta: record.meta };
}
