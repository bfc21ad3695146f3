import { UsageError } from "../errors.js";
import type { Filter } from "../vector-index/types.js";

const FILTER_HINT = 'Use --filter field=value; repeat it to AND fields, and use "field=a,b" to match a OR b.';

/**
 * Parses repeated CLI `--filter field=value` flags. The first '=' splits field from values, so values
 * may contain '='; ',' separates OR-ed values (write '\,' for a literal comma). Repeating a field adds
 * to its OR list. Values are kept verbatim apart from that; query() matches them ignoring case and accents.
 */
export function parseFilter(pairs: readonly string[]): Filter {
  // No prototype: a field named "__proto__" or "constructor" is just an unknown facet, not an object key trick.
  const filter: Filter = Object.create(null) as Filter;
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const field = eq < 0 ? "" : pair.slice(0, eq).trim();
    if (eq < 0 || field === "") {
      throw new UsageError(`Invalid filter ${JSON.stringify(pair)}: expected field=value`, {
        hint: FILTER_HINT,
      });
    }
    const values = splitValues(pair.slice(eq + 1));
    if (values.length === 0 || values.some((v) => v === "")) {
      throw new UsageError(`Invalid filter ${JSON.stringify(pair)}: empty value`, { hint: FILTER_HINT });
    }
    const list = Object.hasOwn(filter, field) ? (filter[field] as string[]) : [];
    filter[field] = list;
    for (const v of values) if (!list.includes(v)) list.push(v);
  }
  return filter;
}

/** The query command's filter flags: repeated `--filter field=value`, plus the two facet shortcuts. */
export interface FilterFlags {
  filter?: readonly string[] | undefined;
  culture?: readonly string[] | undefined;
  classification?: readonly string[] | undefined;
}

/**
 * Maps the filter flags onto one Filter. `--filter` values are parsed (a,b = OR); `--culture` and
 * `--classification` values are taken verbatim (culture names may contain commas) and OR-ed onto the
 * field after any `--filter` values for it.
 */
export function filterFromFlags(flags: FilterFlags): Filter {
  const filter = parseFilter(flags.filter ?? []);
  if (flags.culture) filter.culture = [...(filter.culture ?? []), ...flags.culture];
  if (flags.classification)
    filter.classification = [...(filter.classification ?? []), ...flags.classification];
  return filter;
}

function splitValues(raw: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === "\\" && raw[i + 1] === ",") {
      cur += ",";
      i++;
    } else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}
