#!/usr/bin/env bash
# Packs what bench/gpu/run.sh needs on a GPU machine that has no Node or node_modules (e.g. a bare
# cloud box or this workplace's device machine) into .gpu-carry/: node, the native packages for
# linux-x64 only, esbuild bundles of the CLI and the bench scripts, and the Vulkan loader.
# Usage (from the repo root, on an x86-64 Linux machine with node_modules installed): bash bench/gpu/pack.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
C=.gpu-carry
mkdir -p "$C"
BANNER="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
bundle() {
  npx esbuild "$1" --bundle --platform=node --format=esm --target=node20 --log-level=warning \
    --external:onnxruntime-node --external:sharp --external:usearch --external:react-devtools-core \
    --banner:js="$BANNER" --outfile="$2"
}
bundle src/cli.ts "$C/mosaic.mjs" && xz -f -T0 -6 "$C/mosaic.mjs"
# Decode workers import decode.js from beside the CLI (src/images/decode-pool.ts), so ship it bundled too.
bundle src/images/decode.ts "$C/decode.js"
bundle bench/gpu/model-bench.ts "$C/model-bench.mjs"
bundle bench/gpu/make-jpegs.ts "$C/make-jpegs.mjs"
bundle bench/gpu/e2e-rate.ts "$C/e2e-rate.mjs"
bundle bench/gpu/topk-parity.ts "$C/topk-parity.mjs"
bundle bench/gpu/summarize.ts "$C/summarize.mjs"
# mosaic's embedded default as ONNX (converted on first use here), for parity runs on the GPU machine.
M=$(ls -t "$HOME"/.cache/mosaic/models/*.onnx 2>/dev/null | head -1 || true)
[ -n "$M" ] && cp "$M" "$C/mobilenet.onnx" && echo "default model: $M"

# Native packages, linux-x64 binaries only (onnxruntime-node alone is ~290 MB with every platform).
T=$(mktemp -d)
N=$T/node_modules
mkdir -p "$N/@img" "$N/onnxruntime-node/bin/napi-v6/linux" "$N/usearch/prebuilds" "$N/react-devtools-core"
cp -r node_modules/{sharp,detect-libc,semver,onnxruntime-common,bindings,node-gyp-build,file-uri-to-path} "$N/"
cp -r node_modules/@img/{colour,sharp-linux-x64,sharp-libvips-linux-x64} "$N/@img/"
cp -r node_modules/onnxruntime-node/{dist,package.json} "$N/onnxruntime-node/"
cp -r node_modules/onnxruntime-node/bin/napi-v6/linux/x64 "$N/onnxruntime-node/bin/napi-v6/linux/"
cp -r node_modules/usearch/{package.json,javascript} "$N/usearch/"
cp -r node_modules/usearch/prebuilds/linux-x64 "$N/usearch/prebuilds/"
# ink imports react-devtools-core statically but only uses it with DEV=true; a stub keeps the bundle loadable.
echo '{"name":"react-devtools-core","version":"0.0.0","type":"module","main":"index.js"}' >"$N/react-devtools-core/package.json"
echo 'export default { initialize() {}, connectToDevTools() {} };' >"$N/react-devtools-core/index.js"
tar -C "$T" -cf - node_modules | xz -T0 -6 >"$C/nm.tar.xz"
rm -rf "$T"
[ -f "$C/node.xz" ] || xz -T0 -6 -c "$(command -v node)" >"$C/node.xz"
# The Vulkan loader plus libglvnd, which NVIDIA's Vulkan ICD loads (for boxes that lack them).
ls "$C"/libvulkan1_*.deb >/dev/null 2>&1 || (cd "$C" && apt-get download libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 libgles2)
du -sh "$C"
