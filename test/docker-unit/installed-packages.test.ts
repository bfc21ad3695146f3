import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installedPackages } from "../../src/docker/installed-packages.js";
import { makeTempDir } from "../helpers/temp-dir.js";

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir("mosaic-tree-");
});
afterEach(() => tmp.cleanup());

/** Writes package.json files: folder (relative to the temp dir) → manifest. */
async function write(packages: Record<string, Record<string, unknown>>): Promise<void> {
  for (const [dir, manifest] of Object.entries(packages)) {
    await mkdir(path.join(tmp.dir, dir), { recursive: true });
    await writeFile(path.join(tmp.dir, dir, "package.json"), JSON.stringify(manifest));
  }
}

const layout = async (appDir: string) =>
  Object.fromEntries(
    (await installedPackages(path.join(tmp.dir, appDir))).map((p) => [
      p.target,
      path.relative(tmp.dir, p.source),
    ]),
  );

describe("installedPackages", () => {
  it("reads a global install's own tree (no lockfile), keeping nested versions where npm put them", async () => {
    await write({
      "lib/node_modules/mosaic": {
        name: "mosaic",
        dependencies: { a: "1", b: "1" },
        devDependencies: { d: "1" },
      },
      "lib/node_modules/mosaic/node_modules/a": { name: "a", version: "1", dependencies: { c: "1" } },
      "lib/node_modules/mosaic/node_modules/b": { name: "b", dependencies: { a: "2" } },
      "lib/node_modules/mosaic/node_modules/b/node_modules/a": { name: "a", version: "2" },
      "lib/node_modules/mosaic/node_modules/c": { name: "c" },
      "lib/node_modules/mosaic/node_modules/d": { name: "d" },
      // Another global package next to mosaic is not part of its tree.
      "lib/node_modules/other": { name: "other" },
    });
    expect(await layout("lib/node_modules/mosaic")).toEqual({
      "node_modules/a": "lib/node_modules/mosaic/node_modules/a",
      "node_modules/b": "lib/node_modules/mosaic/node_modules/b",
      "node_modules/b/node_modules/a": "lib/node_modules/mosaic/node_modules/b/node_modules/a",
      "node_modules/c": "lib/node_modules/mosaic/node_modules/c",
    });
  });

  it("follows Node's lookup into a project's hoisted node_modules and lays it out under the app", async () => {
    await write({
      "proj/node_modules/mosaic": { name: "mosaic", dependencies: { a: "2", b: "1" } },
      "proj/node_modules/mosaic/node_modules/a": { name: "a", version: "2" },
      "proj/node_modules/a": { name: "a", version: "1" },
      "proj/node_modules/b": { name: "b", dependencies: { a: "1", "@s/x": "1" } },
      "proj/node_modules/@s/x": { name: "@s/x" },
    });
    expect(await layout("proj/node_modules/mosaic")).toEqual({
      "node_modules/a": "proj/node_modules/mosaic/node_modules/a",
      "node_modules/b": "proj/node_modules/b",
      // b found a@1 one level up at home; in the image a@2 holds the top level, so a@1 nests under b.
      "node_modules/b/node_modules/a": "proj/node_modules/a",
      "node_modules/@s/x": "proj/node_modules/@s/x",
    });
  });

  it("resolves symlinked packages (pnpm, npm link) to their real folders", async () => {
    await write({
      app: { name: "mosaic", dependencies: { a: "1" } },
      "store/a@1/node_modules/a": { name: "a", dependencies: { b: "1" } },
      "store/a@1/node_modules/b": { name: "b" },
    });
    await mkdir(path.join(tmp.dir, "app", "node_modules"), { recursive: true });
    await symlink(
      path.join(tmp.dir, "store/a@1/node_modules/a"),
      path.join(tmp.dir, "app/node_modules/a"),
      "dir",
    );
    expect(await layout("app")).toEqual({
      "node_modules/a": "store/a@1/node_modules/a",
      "node_modules/b": "store/a@1/node_modules/b",
    });
  });

  it("skips optional dependencies and optional peers that are not needed, takes installed peers", async () => {
    await write({
      app: { name: "mosaic", dependencies: { a: "1" }, optionalDependencies: { "other-os": "1" } },
      "app/node_modules/a": {
        name: "a",
        peerDependencies: { react: "*", typescript: "*", missing: "*" },
        peerDependenciesMeta: { typescript: { optional: true } },
      },
      "app/node_modules/react": { name: "react" },
      "app/node_modules/typescript": { name: "typescript" },
    });
    expect(Object.keys(await layout("app"))).toEqual(["node_modules/a", "node_modules/react"]);
  });

  it("does not move a package where it would change what an earlier one loads", async () => {
    await write({
      app: { name: "mosaic", dependencies: { p: "1", q: "1", x: "1" } },
      "app/node_modules/x": { name: "x", version: "1" },
      "app/node_modules/p": { name: "p", dependencies: { x: "1", r: "1" } },
      "app/node_modules/q": { name: "q", dependencies: { r: "1" } },
      "app/node_modules/q/node_modules/r": { name: "r", version: "q's", dependencies: { x: "2" } },
      "app/node_modules/q/node_modules/x": { name: "x", version: "2" },
      "app/node_modules/r": { name: "r", version: "top" },
    });
    const tree = await layout("app");
    expect(tree["node_modules/x"]).toBe("app/node_modules/x");
    expect(tree["node_modules/q/node_modules/r"]).toBe("app/node_modules/q/node_modules/r");
    // x@2 may go under q (r's parent in the image) but never to the top, where p loads x@1.
    expect(tree["node_modules/q/node_modules/x"]).toBe("app/node_modules/q/node_modules/x");
  });
});
