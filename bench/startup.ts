/**
 * Start-up time of the built CLI next to a bare `node -e 0`, measured in the same run, interleaved so
 * machine load hits every command alike. Prints the median of each and its ratio to `node -e 0`.
 *
 *   npm run bench:startup             # 15 rounds
 *   npm run bench:startup -- 30       # 30 rounds
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin/mosaic.js");
const rounds = Number(process.argv[2] ?? 15);

const commands: Record<string, string[]> = {
  "node -e 0": ["-e", "0"],
  "mosaic --version": [bin, "--version"],
  "mosaic query --help": [bin, "query", "--help"],
};

function timeOnce(args: string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  return ms;
}

const samples = new Map<string, number[]>(Object.keys(commands).map((name) => [name, []]));
for (const args of Object.values(commands)) timeOnce(args); // warm the file cache
for (let i = 0; i < rounds; i++) {
  for (const [name, args] of Object.entries(commands)) samples.get(name)?.push(timeOnce(args));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const base = median(samples.get("node -e 0") ?? []);
console.log(`start-up, median of ${rounds} runs (node ${process.version})`);
for (const [name, xs] of samples) {
  const m = median(xs);
  console.log(`${name.padEnd(22)} ${m.toFixed(0).padStart(6)} ms   ${(m / base).toFixed(2)}× node -e 0`);
}
