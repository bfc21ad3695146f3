import { UsageError } from "../errors.js";
import type { CatalogOptions } from "./catalog-options.js";
import { type ColumnPlan, planFromHeader } from "./column-plan.js";
import { DelimitedTokenizer, type RawRecord } from "./delimited-tokenizer.js";
import type { ParsedRow } from "./parsed-row.js";

/** Streams CSV/TSV rows: the first record is the header, every later record is one numbered data row. */
export async function* readDelimited(
  chunks: AsyncIterable<string>,
  delimiter: string,
  options: CatalogOptions,
  source: string,
): AsyncGenerator<ParsedRow> {
  const tokenizer = new DelimitedTokenizer(delimiter, options.maxRecordChars);
  let header: string[] | undefined;
  let plan: ColumnPlan | undefined;
  let row = 0;

  function* take(records: RawRecord[]): Generator<ParsedRow> {
    for (const record of records) {
      if (header === undefined || plan === undefined) {
        if ("error" in record) {
          throw new UsageError(`Cannot read the header of ${source}: ${record.error}.`, {
            hint: "The first line must name the columns, separated by the catalog's delimiter.",
          });
        }
        header = record.fields.map((name) => name.trim());
        plan = planFromHeader(header, options, source);
        continue;
      }
      row += 1;
      const { line } = record;
      if ("error" in record) {
        yield { row, line, malformed: record.error };
      } else if (record.fields.length !== header.length) {
        yield { row, line, malformed: `expected ${header.length} columns, found ${record.fields.length}` };
      } else {
        const values: Record<string, string> = {};
        for (let i = 0; i < header.length; i += 1) {
          const name = header[i]!;
          // Duplicate header names: the first column keeps the name.
          if (!(name in values)) values[name] = record.fields[i]!;
        }
        yield { row, line, record: values, plan };
      }
    }
  }

  for await (const chunk of chunks) yield* take(tokenizer.push(chunk));
  yield* take(tokenizer.end());
  if (header === undefined) {
    throw new UsageError(`Catalog ${source} is empty.`, {
      hint: "It needs a header line and at least one row.",
    });
  }
}
