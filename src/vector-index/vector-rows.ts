import { UsageError } from "../errors.js";

/** Vectors handed to the index: one array per record, or a flat row-major Float32Array. */
export type VectorRows = readonly ArrayLike<number>[] | Float32Array;

/** Number of rows in `rows`; a flat array must be a whole number of `dim`-long rows. */
export function rowCount(rows: VectorRows, dim: number): number {
  if (!(rows instanceof Float32Array)) return rows.length;
  if (rows.length % dim !== 0) {
    throw new UsageError(`Flat vector array of length ${rows.length} is not a multiple of dim ${dim}`, {
      hint: "Pass count × dim floats, row-major, or one array per record.",
    });
  }
  return rows.length / dim;
}

/** Row `i` of `rows` (a view, not a copy, for flat arrays). */
export function rowAt(rows: VectorRows, i: number, dim: number): ArrayLike<number> {
  if (rows instanceof Float32Array) return rows.subarray(i * dim, (i + 1) * dim);
  const row = rows[i];
  if (row === undefined) throw new RangeError(`no vector row ${i}`);
  return row;
}
