import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { UsageError } from "../errors.js";
import { type CatalogOptions, DEFAULT_ID_COLUMN } from "./catalog-options.js";
import { matchColumns } from "./column-plan.js";
import type { ParsedRow } from "./parsed-row.js";

function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Streams JSON Lines: each non-blank line is one object; keys are matched like CSV headers. */
export async function* readJsonl(
  chunks: AsyncIterable<string>,
  options: CatalogOptions,
  source: string,
): AsyncGenerator<ParsedRow> {
  const lines = createInterface({ input: Readable.from(chunks), crlfDelay: Number.POSITIVE_INFINITY });
  let row = 0;
  let line = 0;
  let checkedFirst = false;
  try {
    for await (const text of lines) {
      line += 1;
      if (text.trim() === "") continue;
      row += 1;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        yield { row, line, malformed: `not valid JSON (${(error as Error).message})` };
        continue;
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        yield { row, line, malformed: "line is not a JSON object" };
        continue;
      }
      const record: Record<string, string> = {};
      for (const [key, field] of Object.entries(value)) record[key] = asText(field);
      const plan = matchColumns(Object.keys(record), options);
      // JSONL has no header: the first object stands in for one, so a wrong idColumn fails fast.
      if (!checkedFirst && plan.id === undefined) {
        throw new UsageError(
          `First object in ${source} has no "${options.idColumn ?? DEFAULT_ID_COLUMN}" key (keys: ${Object.keys(record).join(", ")}).`,
          { hint: "Set idColumn to the key that holds each artwork's id." },
        );
      }
      checkedFirst = true;
      yield { row, line, record, plan };
    }
  } finally {
    lines.close();
  }
}
