import { setTimeout as delay } from "node:timers/promises";
import { AbortedError } from "../errors.js";

/** GET `url` and return its status, or undefined when nothing answers within `timeoutMs`. */
export async function httpStatus(
  url: string,
  signal?: AbortSignal,
  timeoutMs = 2_000,
): Promise<number | undefined> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    await response.body?.cancel();
    return response.status;
  } catch {
    if (signal?.aborted) throw new AbortedError();
    return undefined;
  }
}

/** setTimeout as a promise that rejects with AbortedError when `signal` fires. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (signal?.aborted) throw new AbortedError();
    throw error;
  }
}
