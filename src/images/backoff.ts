import { setTimeout as delay } from "node:timers/promises";
import { AbortedError } from "../errors.js";

/**
 * Wait before retry `attempt` (1 = first retry): exponential from `baseMs`, capped at `maxMs`, scaled by
 * a random factor in [0.5, 1) so many failed downloads do not all retry in the same instant.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1)) * (0.5 + random() * 0.5);
}

/** Abortable sleep; rejects with AbortedError when the signal fires. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throw new AbortedError();
    throw error;
  }
}
