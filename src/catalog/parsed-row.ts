import type { ColumnPlan } from "./column-plan.js";

/** One data row as the format readers hand it on: fields by column name, or why it is malformed. */
export type ParsedRow =
  | { row: number; record: Record<string, string>; plan: ColumnPlan }
  | { row: number; malformed: string };
