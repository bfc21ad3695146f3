import { UsageError } from "../errors.js";
import type { QueryResult } from "./query.js";

/**
 * Keeps only hits scoring at least `min` (cosine after the index's transform; see the README's "What a
 * score means"). `matches` still counts the artworks the filter admitted, so a caller can tell "nothing
 * similar enough" from "nothing matched the filter".
 */
export function applyMinScore(result: QueryResult, min: number | undefined): QueryResult {
  if (min === undefined) return result;
  return { ...result, hits: result.hits.filter((h) => h.score >= min) };
}

/** A --min-score / min_score value: a number from −1 to 1 (scores are cosines). */
export function parseMinScore(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const value = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value < -1 || value > 1) {
    throw new UsageError(`min score must be a number from -1 to 1, got ${JSON.stringify(raw)}`, {
      hint: "Scores are cosines; with the default model unrelated pairs score near 0 (see the README).",
    });
  }
  return value;
}
