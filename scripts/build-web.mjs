// Builds the web UI served at /ui: web/src (TypeScript) bundled by esbuild into dist/web/app.js, plus the
// static files of web/public. No CDN, no framework: the page needs nothing but this folder.
import { cp, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "dist/web");

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [path.join(root, "web/src/main.ts")],
  outfile: path.join(out, "app.js"),
  bundle: true,
  format: "esm",
  target: ["es2022", "chrome110", "firefox110", "safari16"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
await cp(path.join(root, "web/public"), out, { recursive: true });
