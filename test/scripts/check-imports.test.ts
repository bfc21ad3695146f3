import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir } from "../helpers/temp-dir.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const script = path.join(root, "scripts/check-imports.mjs");

async function walk(tree: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [script, "--root", tree]);
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

async function tree(files: Record<string, string>): Promise<string> {
  const made = await makeTempDir("mosaic-imports-");
  cleanups.push(made.cleanup);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(made.dir, name)), { recursive: true });
    await writeFile(path.join(made.dir, name), text);
  }
  return made.dir;
}
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe("scripts/check-imports.mjs", () => {
  it("passes mosaic's own tree", async () => {
    const run = await walk(root);
    expect(run.stdout).toContain("0 upward imports, 0 folder edges closing loops");
    expect(run.code).toBe(0);
  });

  it("fails on an import that runs back up the floors", async () => {
    const dir = await tree({
      "src/search/scan.ts": 'import { x } from "../wiring/context.js";\nexport const y = x;\n',
      "src/wiring/context.ts": "export const x = 1;\n",
    });
    const run = await walk(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("upward: src/search/scan.ts (search) imports ../wiring/context.js (wiring)");
  });

  it("fails on a loop between folders of one floor", async () => {
    const dir = await tree({
      "src/server/a.ts": 'import { b } from "../query/b.js";\nexport const a = b;\n',
      "src/query/b.ts": 'import type { A } from "../server/c.js";\nexport const b: A = 1;\n',
      "src/server/c.ts": "export type A = number;\n",
    });
    const run = await walk(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("loop between: query, server");
  });

  it("names a folder the rule does not place", async () => {
    const dir = await tree({
      "src/newroom/a.ts": 'import "../errors.js";\n',
      "src/errors.ts": "export {};\n",
    });
    const run = await walk(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("folder not in the rule: newroom");
  });
});
