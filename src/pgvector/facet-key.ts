/**
 * The value a facet column holds and a filter value is compared with. The file index matches facet values
 * exactly, so this is the identity; it is the one place to change when the file index's matching does.
 */
export function facetKey(value: string): string {
  return value;
}
