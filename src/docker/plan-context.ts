import { stat } from "node:fs/promises";
import path from "node:path";
import { MosaicError, UsageError } from "../errors.js";
import { installedPackages } from "./installed-packages.js";
import { walkFiles } from "./walk-files.js";

/** One file of the build context: copied from `source` to `target` (POSIX path inside the context). */
export interface ContextEntry {
  source: string;
  target: string;
}

/** What the build context will hold, decided before anything is copied (so it can be hashed first). */
export interface ContextPlan {
  files: ContextEntry[];
  /** Files mosaic writes itself (the rendered Dockerfile). */
  generated: { target: string; content: string }[];
  /** Folders that must exist even when empty (the Dockerfile COPYs them). */
  dirs: string[];
  /** How many node_modules packages the installed tree gave. */
  packages: number;
}

export interface PlanContextOptions {
  /** mosaic's own install: package.json, bin/, dist/, node_modules/. */
  appRoot: string;
  dockerfile: string;
  /** An index to bake in; undefined leaves /index empty, to be mounted at run time. */
  indexDir?: string | undefined;
  /** Converted .onnx models to bake into the image's model cache. */
  modelFiles: string[];
  /** The engine's CPU architecture in Node's terms ("x64", "arm64"): other native binaries are left out. */
  arch: string;
}

/** Source maps and type declarations are never loaded by a server. */
const DEV_ONLY_FILE = /\.(map|d\.ts|d\.mts|d\.cts)$/;
/** Prebuilt binaries laid out per platform (onnxruntime-node: bin/napi-v6/<os>/<arch>). */
const PREBUILT_DIR = /^bin\/napi-v\d+\/[^/]+\/[^/]+$/;

/**
/**
 * Decides the build context: package.json, bin/, dist/{src,commands,web}, the production node_modules
 * (the installed dependency tree, see installedPackages, without source maps, typings or other
 * platforms' binaries), the model cache and, when given, the index. Dev tooling and tests never reach
 * the image. Works from a clone and from an installed package alike: nothing needs a lockfile.
 */
export async function planContext(options: PlanContextOptions): Promise<ContextPlan> {
  const { appRoot } = options;
  // The web UI (dist/web) is part of the build too: an image without it would answer /ui with 404.
  for (const built of [
    ["src", "cli.js"],
    ["web", "index.html"],
  ]) {
    const file = path.join(appRoot, "dist", ...built);
    if (!(await isFile(file))) {
      throw new MosaicError(`mosaic is not built: ${file} is missing`, {
        hint: "In a mosaic clone, run `npm run build` (the image runs the compiled dist/); an installed mosaic ships it.",
      });
    }
  }
  const files: ContextEntry[] = [];
  const add = (root: string, relatives: string[], prefix: string) => {
    for (const rel of relatives) files.push({ source: path.join(root, rel), target: `${prefix}${rel}` });
  };

  add(appRoot, ["package.json"], "app/");
  add(path.join(appRoot, "bin"), await walkFiles(path.join(appRoot, "bin")), "app/bin/");
  for (const sub of ["src", "commands", "web"]) {
    const dir = path.join(appRoot, "dist", sub);
    const skip = (rel: string) => DEV_ONLY_FILE.test(rel) || rel.endsWith(".test.js");
    add(dir, await walkFiles(dir, skip), `app/dist/${sub}/`);
  }

  const keepPrebuilt = `linux/${options.arch}`;
  const packages = await installedPackages(appRoot);
  for (const pkg of packages) {
    const skip = (rel: string) =>
      rel === "node_modules" ||
      DEV_ONLY_FILE.test(rel) ||
      (PREBUILT_DIR.test(rel) && !rel.endsWith(`/${keepPrebuilt}`));
    add(pkg.source, await walkFiles(pkg.source, skip), `app/${pkg.target}/`);
  }

  // A model shipped with mosaic (dist/models) goes where the app looks for it, with its manifest;
  // a conversion of the host's cache goes into the image's cache.
  const shipped = path.join(appRoot, "dist", "models");
  for (const model of options.modelFiles) {
    if (path.dirname(model) === shipped) {
      if (!files.some((f) => f.target === "app/dist/models/manifest.json")) {
        add(shipped, ["manifest.json"], "app/dist/models/");
      }
      add(shipped, [path.basename(model)], "app/dist/models/");
    } else files.push({ source: model, target: `cache/models/${path.basename(model)}` });
  }

  if (options.indexDir !== undefined) {
    if (!(await isFile(path.join(options.indexDir, "manifest.json")))) {
      throw new UsageError(`${options.indexDir} is not a mosaic index (no manifest.json)`, {
        hint: "Pass the folder `mosaic featurize` wrote (default .mosaic/index).",
      });
    }
    add(options.indexDir, await walkFiles(options.indexDir), "index/");
  }

  return {
    files,
    generated: [{ target: "Dockerfile", content: options.dockerfile }],
    dirs: ["app", "cache/models", "index"],
    packages: packages.length,
  };
}

const isFile = (p: string) =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
