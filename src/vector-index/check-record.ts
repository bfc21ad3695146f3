import { UsageError } from "../errors.js";
import type { IndexRecord } from "./types.js";

function isStringMap(v: unknown): v is Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  for (const x of Object.values(v)) if (typeof x !== "string") return false;
  return true;
}

/** Shape check shared by the writer (caller input) and the loader (file content). */
export function recordProblem(r: unknown): string | undefined {
  if (typeof r !== "object" || r === null) return "is not an object";
  const o = r as Record<string, unknown>;
  if (typeof o.id !== "string" || o.id === "") return "has no id (a non-empty string)";
  if (typeof o.image !== "string") return `${o.id}: image is not a string`;
  if (!isStringMap(o.facets)) return `${o.id}: facets is not a string→string object`;
  if (!isStringMap(o.meta)) return `${o.id}: meta is not a string→string object`;
  return undefined;
}

/** Throws a UsageError when a caller hands the writer a malformed record. */
export function assertRecord(r: unknown, position: number): asserts r is IndexRecord {
  const problem = recordProblem(r);
  if (problem) {
    throw new UsageError(`Record #${position} ${problem}`, {
      hint: "Index records need { id, image, facets, meta } with string values.",
    });
  }
}
