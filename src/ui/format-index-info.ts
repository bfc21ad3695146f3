import type { IndexInfo } from "../vector-index/index-info.js";
import { formatBytes } from "./format.js";

/** How many values of a facet the table shows (--json has them all). */
const SHOWN_VALUES = 8;

/** `mosaic index info` for people: a few aligned lines. */
export function formatIndexInfo(info: IndexInfo): string {
  const lines = [
    `index     ${info.dir}`,
    `records   ${info.count}`,
    // A preset's id spells out its layers and pooling (170 characters); its name is what people pass.
    `model     ${info.preset ? `${info.preset} (dim ${info.dim}; full id in --json)` : `${info.model} (dim ${info.dim})`}`,
    `created   ${info.createdAt}`,
    `files     ${info.files.map((f) => `${f.file} ${formatBytes(f.bytes)}`).join(", ")}`,
  ];
  if (info.facets.length === 0) lines.push("facets    (none)");
  for (const [i, facet] of info.facets.entries()) {
    const column = facet.column && facet.column !== facet.name ? ` ← ${facet.column}` : "";
    const none = info.count - facet.withValue;
    lines.push(
      (i === 0 ? "facets" : "").padEnd(10) +
        `${facet.name}${column}: ${facet.values.length} values${none > 0 ? `, ${none} records without one` : ""}`,
    );
    const shown = facet.values.slice(0, SHOWN_VALUES).map((v) => `${v.value} (${v.count})`);
    const more = facet.values.length - shown.length;
    if (shown.length > 0)
      lines.push(`${"".padEnd(12)}${shown.join(", ")}${more > 0 ? `, … ${more} more (--json)` : ""}`);
  }
  if (info.sidecars.length === 0) lines.push("sidecars  (none)");
  for (const [i, s] of info.sidecars.entries()) {
    const label = (i === 0 ? "sidecars" : "").padEnd(10);
    lines.push(`${label}${s.file} ${formatBytes(s.bytes)}: ${s.what}`);
  }
  return lines.join("\n");
}
