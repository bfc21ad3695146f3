import type { ColumnPlan } from "./column-plan.js";

/** One data row as the format readers hand it on: fields by column name, or why it is malformed. */
export type ParsedRow =
  | { row: number; line: number; record: Record<string, string>; plan: ColumnPlan }
  | { row: number; line: number; malformed: string };
