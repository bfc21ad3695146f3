import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** Writes a miniature mosaic install (built dist, lockfile, node_modules) and an index under `root`. */
export async function writeFakeApp(
  root: string,
): Promise<{ appRoot: string; indexDir: string; model: string }> {
  const appRoot = path.join(root, "app");
  const files: Record<string, string> = {
    "package.json": JSON.stringify({ name: "mosaic", version: "9.9.9" }),
    "package-lock.json": JSON.stringify({
      packages: {
        "": { name: "mosaic" },
        "node_modules/prod": { version: "1.0.0" },
        "node_modules/prod/node_modules/nested": { version: "1.0.0" },
        "node_modules/devtool": { version: "1.0.0", dev: true },
        "node_modules/peerish": { version: "1.0.0", devOptional: true },
        "node_modules/onnxruntime-node": { version: "1.30.0" },
        "node_modules/not-installed": { version: "1.0.0", optional: true },
      },
    }),
    "bin/mosaic.js": 'import "../dist/src/cli.js";\n',
    "dist/src/cli.js": "console.log('cli');\n",
    "dist/src/cli.js.map": "{}",
    "dist/src/cli.d.ts": "export {};\n",
    "dist/commands/serve.js": "export {};\n",
    "dist/web/index.html": "<!doctype html>\n",
    "dist/web/app.js": "export {};\n",
    "dist/test/some.test.js": "export {};\n",
    "src/cli.ts": "// sources stay out\n",
    "node_modules/prod/index.js": "module.exports = 1;\n",
    "node_modules/prod/index.js.map": "{}",
    "node_modules/prod/index.d.ts": "export {};\n",
    "node_modules/prod/node_modules/nested/index.js": "module.exports = 2;\n",
    "node_modules/devtool/index.js": "module.exports = 3;\n",
    "node_modules/peerish/index.js": "module.exports = 4;\n",
    "node_modules/onnxruntime-node/index.js": "module.exports = 5;\n",
    "node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node": "x64",
    "node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node": "arm64",
    "node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime_binding.node": "win",
    "node_modules/.bin/tool": "#!/bin/sh\n",
  };
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(appRoot, rel)), { recursive: true });
    await writeFile(path.join(appRoot, rel), content);
  }
  const indexDir = path.join(root, "index");
  await mkdir(indexDir, { recursive: true });
  await writeFile(path.join(indexDir, "manifest.json"), "{}");
  await writeFile(path.join(indexDir, "records.jsonl"), '{"id":"first-1"}\n{"id":"second-2"}\n');
  const model = path.join(root, "cache", "models", "m-abc.onnx");
  await mkdir(path.dirname(model), { recursive: true });
  await writeFile(model, "onnx");
  return { appRoot, indexDir, model };
}
