import { UsageError } from "../errors.js";
import {
  type CatalogOptions,
  DEFAULT_FACETS,
  DEFAULT_ID_COLUMN,
  DEFAULT_IMAGE_COLUMNS,
} from "./catalog-options.js";

/** The actual column (or JSON key) names to read, after case-insensitive matching. */
export interface ColumnPlan {
  id: string | undefined;
  images: string[];
  /** [facet name, column]; column undefined when this row/catalog lacks it (value ""). */
  facets: [string, string | undefined][];
}

/** Finds `wanted` among `names` ignoring case; exact-case match first. */
function findColumn(names: readonly string[], wanted: string): string | undefined {
  if (names.includes(wanted)) return wanted;
  const lower = wanted.toLowerCase();
  return names.find((name) => name.toLowerCase() === lower);
}

/** Matches the configured columns against whatever names a row or header offers, without judging. */
export function matchColumns(names: readonly string[], options: CatalogOptions): ColumnPlan {
  const images = (options.imageColumns ?? DEFAULT_IMAGE_COLUMNS)
    .map((column) => findColumn(names, column))
    .filter((column): column is string => column !== undefined);
  return {
    id: findColumn(names, options.idColumn ?? DEFAULT_ID_COLUMN),
    images,
    facets: Object.entries(options.facets ?? DEFAULT_FACETS).map(([facet, column]) => [
      facet,
      findColumn(names, column),
    ]),
  };
}

/**
 * Plans a catalog with a header: a missing id or image column, or an explicitly configured facet column
 * that is absent, is a usage error (every row would fail). Default facets the catalog lacks are dropped.
 */
export function planFromHeader(
  header: readonly string[],
  options: CatalogOptions,
  source: string,
): ColumnPlan {
  const plan = matchColumns(header, options);
  const configure =
    'Map your columns, e.g. { idColumn: "id", imageColumns: ["image"], facets: { culture: "department" } }.';
  // A garbage (binary) header must not put raw control bytes on the user's terminal.
  const shown = header.map((name) =>
    JSON.stringify(name)
      .slice(1, -1)
      .replace(/[\u007f-\u009f]/g, "?"),
  );
  const found = `Header of ${source} has: ${shown.join(", ")}.`;
  if (plan.id === undefined) {
    throw new UsageError(`Catalog has no id column "${options.idColumn ?? DEFAULT_ID_COLUMN}". ${found}`, {
      hint: configure,
    });
  }
  if (plan.images.length === 0) {
    const wanted = (options.imageColumns ?? DEFAULT_IMAGE_COLUMNS).join(", ");
    throw new UsageError(`Catalog has none of the image columns ${wanted}. ${found}`, { hint: configure });
  }
  const missing = plan.facets.filter(([, column]) => column === undefined).map(([facet]) => facet);
  if (missing.length > 0 && options.facets !== undefined) {
    throw new UsageError(`Catalog lacks the column(s) for facet(s) ${missing.join(", ")}. ${found}`, {
      hint: configure,
    });
  }
  return { ...plan, facets: plan.facets.filter(([, column]) => column !== undefined) };
}
