/**
 * Named points in the index's write path where a crash matters (between writing data and the manifest,
 * between the two renames of the swap, …). Tests arm a hook that SIGKILLs the process at one of them;
 * production never sets one. Wiring installs it (core code does not touch process).
 */
export type CrashPoint = "index-data-written" | "swap-moved-aside" | "swap-renamed" | "sidecar-written";

let hook: ((point: CrashPoint) => void) | undefined;

export function setCrashHook(next: ((point: CrashPoint) => void) | undefined): void {
  hook = next;
}

export function crashPoint(point: CrashPoint): void {
  hook?.(point);
}
