import { InvalidArgumentError } from "commander";

/** commander argParser for positive integers; a bad value is a usage error (exit 2). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected an integer >= 0, got "${value}"`);
  return n;
}

/** `--shard 2/8` → { index: 2, count: 8 } (0-based index below count). */
export function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) {
    throw new InvalidArgumentError(`expected i/N with 0 ≤ i < N (e.g. 0/4), got "${value}"`);
  }
  return { index, count };
}

/** Repeatable flag collector: `--facet a=b --facet c=d`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--facet culture=Culture` pairs → { culture: "Culture" }. */
export function parseFacetMapping(pairs: string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0 || eq === pair.length - 1) {
      throw new InvalidArgumentError(`--facet expects name=column, got "${pair}"`);
    }
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

/** Global flags live on the root program; commander hands them to every subcommand via optsWithGlobals. */
export { Command } from "commander";

/** For people (stderr): where an --html report went. */
export function reportLine(written: { file: string; bytes: number }, images: "embed" | "link"): string {
  const size =
    written.bytes >= 1024 * 1024
      ? `${(written.bytes / 1024 / 1024).toFixed(1)} MiB`
      : `${Math.ceil(written.bytes / 1024)} KiB`;
  return `Wrote ${written.file} (${size}, images ${images === "embed" ? "embedded" : "linked by relative path"})`;
}
