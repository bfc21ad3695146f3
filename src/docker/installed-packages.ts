import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { MosaicError } from "../errors.js";

/** One installed package as the image lays it out. */
export interface InstalledPackage {
  /** The package's folder on this machine (symlinks resolved). */
  source: string;
  /** Where it goes below the app root: `node_modules/a` or `node_modules/a/node_modules/b`. */
  target: string;
}

interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Deeper than any real tree; stops a pathological layout from recursing forever. */
const MAX_DEPTH = 64;

/**
 * The production dependency tree of the package at `appRoot`, read from what is installed rather than
 * from a lockfile, so it works wherever mosaic runs: the git clone, `npm i -g` (no lockfile is
 * published or written there), a project's hoisted node_modules or pnpm's symlinked store.
 *
 * Each dependency (`dependencies`, installed `optionalDependencies` and `peerDependencies`; never
 * `devDependencies`) is found the way Node resolves it at run time: `node_modules/<name>` in the
 * requiring package's folder, then in each parent folder. The image gets one `app/node_modules` tree in
 * which every package resolves each dependency to the same installed folder Node would pick here:
 * a package goes to the top level unless that name is already taken there by another version, then
 * it is nested under the package that needs it.
 */
export async function installedPackages(appRoot: string): Promise<InstalledPackage[]> {
  const root = await realpath(appRoot);
  /** Image slot ("a", "a/b" for node_modules/a/node_modules/b) → source folder. */
  const slots = new Map<string, string>();
  /** Every lookup made so far: from which slot, which name, and the slot it found. */
  const lookups: { from: string[]; name: string; found: string }[] = [];
  const manifests = new Map<string, Promise<Manifest>>();
  const manifestOf = (dir: string) => {
    let m = manifests.get(dir);
    if (!m) {
      m = readManifest(dir);
      manifests.set(dir, m);
    }
    return m;
  };

  async function visit(dir: string, slot: string[], manifest: Manifest, isRoot: boolean): Promise<void> {
    if (slot.length > MAX_DEPTH) {
      throw new MosaicError(`The dependency tree under ${root} nests deeper than ${MAX_DEPTH} levels`, {
        hint: "Reinstall mosaic (`npm i -g mosaic`) and retry.",
      });
    }
    const wanted: [string, "required" | "optional"][] = [
      ...Object.keys(manifest.dependencies ?? {}).map((n) => [n, "required"] as [string, "required"]),
      ...Object.keys(manifest.optionalDependencies ?? {}).map((n) => [n, "optional"] as [string, "optional"]),
      // A peer is whatever the install provides. An optional one (cosmiconfig's typescript) stays out
      // even when a dev install has it: the package works without it.
      ...(isRoot ? [] : Object.keys(manifest.peerDependencies ?? {}))
        .filter((n) => manifest.peerDependenciesMeta?.[n]?.optional !== true)
        .map((n) => [n, "optional"] as [string, "optional"]),
    ];
    for (const [name, need] of wanted) {
      const found = await resolvePackage(name, dir);
      if (found === undefined) {
        // Optional dependencies for other platforms (sharp's @img/*, say) are simply not installed.
        if (need === "optional") continue;
        throw new MosaicError(`${name}, a dependency of ${manifest.name ?? dir}, is not installed`, {
          hint: `mosaic's installation in ${root} is incomplete: reinstall it (\`npm i -g mosaic\`, or \`npm ci\` in a clone).`,
        });
      }
      const visible = nearestSlot(slots, slot, name);
      if (visible !== undefined && slots.get(visible) === found) {
        lookups.push({ from: slot, name, found: visible });
        continue;
      }
      const target = placement(slot, name, visible === undefined ? 0 : visible.split("\0").length);
      const key = target.join("\0");
      slots.set(key, found);
      lookups.push({ from: slot, name, found: key });
      await visit(found, target, await manifestOf(found), false);
    }
  }

  /**
   * The shallowest free slot below the one that holds another version (depth `above`), where no
   * package already resolved `name` to something else: putting it there must not change what they load.
   */
  function placement(slot: string[], name: string, above: number): string[] {
    for (let depth = above; depth < slot.length; depth++) {
      const prefix = slot.slice(0, depth);
      const key = [...prefix, name].join("\0");
      const shadows = lookups.some(
        (l) => l.name === name && l.found !== key && prefix.every((part, i) => l.from[i] === part),
      );
      if (!shadows) return [...prefix, name];
    }
    return [...slot, name];
  }

  await visit(root, [], await readManifest(root), true);
  return [...slots.entries()]
    .map(([key, source]) => ({
      source,
      target: key
        .split("\0")
        .map((n) => `node_modules/${n}`)
        .join("/"),
    }))
    .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

/** The slot Node would find `name` in from the package at `slot`: its own node_modules, then each parent's. */
function nearestSlot(slots: Map<string, string>, slot: string[], name: string): string | undefined {
  for (let depth = slot.length; depth >= 0; depth--) {
    const key = [...slot.slice(0, depth), name].join("\0");
    if (slots.has(key)) return key;
  }
  return undefined;
}

/** Node's lookup of a bare package name from a package folder; the real path of its folder, or undefined. */
async function resolvePackage(name: string, fromDir: string): Promise<string | undefined> {
  let dir = fromDir;
  for (;;) {
    if (path.basename(dir) !== "node_modules") {
      const candidate = path.join(dir, "node_modules", name);
      const real = await realpath(candidate).catch(() => undefined);
      if (real !== undefined && (await readFile(path.join(real, "package.json")).catch(() => undefined))) {
        return real;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, "package.json");
  try {
    return JSON.parse(await readFile(file, "utf8")) as Manifest;
  } catch (cause) {
    throw new MosaicError(`Cannot read ${file}`, {
      hint: "The installation looks damaged: reinstall mosaic and retry.",
      cause,
    });
  }
}
