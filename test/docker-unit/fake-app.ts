import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** Writes a miniature mosaic install (built dist, node_modules) and an index under `root`. */
export async function writeFakeApp(
  root: string,
): Promise<{ appRoot: string; indexDir: string; model: string }> {
  const appRoot = path.join(root, "app");
  const files: Record<string, string> = {
    // What is installed decides the tree (no lockfile: a global npm install has none).
    "package.json": JSON.stringify({
      name: "mosaic",
      version: "9.9.9",
      dependencies: { prod: "^1", "onnxruntime-node": "1.30" },
      optionalDependencies: { "not-installed": "^1" },
      devDependencies: { devtool: "^1" },
    }),
    "node_modules/prod/package.json": JSON.stringify({
      name: "prod",
      dependencies: { nested: "^1" },
      peerDependencies: { peerish: "*" },
      peerDependenciesMeta: { peerish: { optional: true } },
    }),
    "node_modules/prod/node_modules/nested/package.json": JSON.stringify({ name: "nested" }),
    "node_modules/devtool/package.json": JSON.stringify({ name: "devtool" }),
    "node_modules/peerish/package.json": JSON.stringify({ name: "peerish" }),
    "node_modules/onnxruntime-node/package.json": JSON.stringify({ name: "onnxruntime-node" }),
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
