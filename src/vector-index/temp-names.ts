import { basename } from "node:path";

/** `<file>.tmp-<pid>-<hex>` names made by an atomic file write (left behind only by a crash). */
export function isSidecarTemp(name: string): boolean {
  return /\.tmp-[0-9a-z-]+$/i.test(basename(name));
}

/** The pid in a `<name>.tmp-<pid>-<hex>` / `<name>.old-<pid>-<hex>` name, when it is one. */
export function tempOwner(name: string, stem: string, kind: "tmp" | "old"): number | undefined {
  if (!name.startsWith(`${stem}.${kind}-`)) return undefined;
  const match = /^(\d+)-[0-9a-f]+$/.exec(name.slice(stem.length + kind.length + 2));
  return match ? Number(match[1]) : undefined;
}
