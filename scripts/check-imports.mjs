#!/usr/bin/env node
// Walks the relative imports of src/ and commands/ and fails when one runs back up the dependency rule
// (README "Architecture") or when folders import each other in a loop. Biome's noRestrictedImports holds
// the package rules per folder; this script holds the order between mosaic's own folders.
//
//   node scripts/check-imports.mjs            # exit 1 on a violation
//   node scripts/check-imports.mjs --report   # print counts, always exit 0 (used to measure)
//   node scripts/check-imports.mjs --root DIR # walk another checkout
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const rootArg = process.argv.indexOf("--root");
const root = rootArg > 0 ? path.resolve(process.argv[rootArg + 1]) : path.resolve(import.meta.dirname, "..");

// Floors, top to bottom. A file may import its own floor's folders or any floor below it.
const FLOORS = [
  ["entry"], // src/cli.ts, src/run-cli.ts, src/index.ts (public API)
  ["commands"],
  ["wiring"],
  ["ui", "infra", "server", "deploy", "docker", "blob", "pgvector", "query", "report", "featurize", "sample"],
  ["images", "model", "search"],
  ["vector-index"],
  ["contracts"],
  ["config", "catalog"],
  ["errors"], // src/errors.ts and the leaf helpers beside it (redact.ts, prng.ts)
];

// Files at the top of src/ and the folder they count as. Before the layout move the old names map
// onto the floor they belong to, so the same script measures the old tree.
const ROOT_FILES = {
  "cli.ts": "entry",
  "run-cli.ts": "entry",
  "index.ts": "entry",
  "errors.ts": "errors",
  "redact.ts": "errors",
  "prng.ts": "errors",
  "context.ts": "wiring",
  "io.ts": "wiring",
};
const RENAMED = { index: "vector-index" };

const rank = new Map();
FLOORS.forEach((folders, i) => {
  for (const folder of folders) rank.set(folder, FLOORS.length - i);
});

function walk(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

function folderOf(file) {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === "commands") return "commands";
  if (rel[0] !== "src") return undefined;
  if (rel.length === 2) return ROOT_FILES[rel[1]] ?? `?${rel[1]}`;
  return RENAMED[rel[1]] ?? rel[1];
}

function resolveImport(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, ".ts"), base.replace(/\.js$/, ".tsx"), `${base}.ts`];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

const files = [...walk(path.join(root, "src")), ...walk(path.join(root, "commands"))];
const upward = [];
const unknown = new Set();
const edges = new Map(); // folder -> Map(folder -> [example import])

for (const file of files) {
  const from = folderOf(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec?.startsWith(".")) continue;
    const target = resolveImport(file, spec);
    if (!target) continue;
    const to = folderOf(target);
    if (!from || !to || from === to) continue;
    for (const f of [from, to]) if (!rank.has(f)) unknown.add(f);
    if (!edges.has(from)) edges.set(from, new Map());
    const list = edges.get(from).get(to) ?? [];
    list.push(`${path.relative(root, file)} → ${spec}`);
    edges.get(from).set(to, list);
    if ((rank.get(to) ?? 0) > (rank.get(from) ?? 0)) {
      upward.push(`${path.relative(root, file)} (${from}) imports ${spec} (${to})`);
    }
  }
}

// Loops between folders: strongly connected components of the folder graph (Tarjan). Every edge inside
// one that is not strictly downward closes a loop; those are the edges to remove.
const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])].sort();
const sccOf = new Map();
{
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const members = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        members.push(w);
      } while (w !== v);
      const key = [...members].sort().join(", ");
      for (const m of members) sccOf.set(m, key);
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
}
const components = [...new Set(sccOf.values())].filter((c) => c.includes(","));
const cycles = [];
for (const [from, targets] of edges) {
  for (const [to, examples] of targets) {
    if (sccOf.get(from) !== sccOf.get(to)) continue;
    if ((rank.get(to) ?? 0) < (rank.get(from) ?? 0)) continue;
    cycles.push(`${from} → ${to} (${examples.length}: ${examples.slice(0, 2).join("; ")})`);
  }
}

const report = process.argv.includes("--report");
console.log(
  `import walk: ${files.length} files, ${upward.length} upward imports, ${cycles.length} folder edges closing loops (${components.length} groups of folders in a loop)`,
);
for (const u of upward) console.log(`  upward: ${u}`);
for (const c of components) console.log(`  loop between: ${c}`);
for (const c of cycles) console.log(`  loop edge: ${c}`);
for (const u of unknown)
  console.log(`  folder not in the rule: ${u} (add it to FLOORS in scripts/check-imports.mjs)`);
if (!report && (upward.length > 0 || cycles.length > 0 || unknown.size > 0)) {
  console.log(
    "Move the code to the floor where it belongs instead of importing upwards (README, Architecture).",
  );
  process.exitCode = 1;
}
