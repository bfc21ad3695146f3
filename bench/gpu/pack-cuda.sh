#!/usr/bin/env bash
# Packs ONNX Runtime's CUDA execution provider for a GPU machine whose only way in is a 64 MiB-per-call
# file carry (this workplace's device machine). Fetches with `npm pack` (never a project dependency):
#   onnxruntime-node@1.29.0 + onnxruntime-common@1.29.0   the binding that matches the provider
#   com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9      official ORT 1.29.0 Linux GPU build, repackaged
# and writes .gpu-cuda/ (git-ignored):
#   ort.tar.xz     node_modules/onnxruntime-{node,common} 1.29.0 (linux-x64 only) + providers_shared.so
#   part-NN        libonnxruntime_providers_cuda.so, xz -9, split into 55 MiB chunks (one per call)
#   SHA256         of the provider, checked after reassembly
#   aic.tar        ../shared/data/aic-sample (when present) for the top-10 parity run
# The calls, back to back while the machine stays warm (30 s), are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
P=${GPU_PACK_CACHE:-$HOME/.cache/mosaic/gpu-pack}
D=.gpu-cuda
mkdir -p "$P" "$D"
fetch() { [ -f "$P/$2" ] || (cd "$P" && npm pack --silent "$1" >/dev/null); }
fetch onnxruntime-node@1.29.0 onnxruntime-node-1.29.0.tgz
fetch onnxruntime-common@1.29.0 onnxruntime-common-1.29.0.tgz
fetch com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9 com.github.asus4.onnxruntime.linux-x64-gpu-0.4.9.tgz

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for pkg in onnxruntime-node-1.29.0 onnxruntime-common-1.29.0; do
  mkdir -p "$T/$pkg" && tar -C "$T/$pkg" -xzf "$P/$pkg.tgz"
done
tar -C "$T" -xzf "$P/com.github.asus4.onnxruntime.linux-x64-gpu-0.4.9.tgz" \
  package/Plugins/Linux/x64/libonnxruntime_providers_cuda.so package/Plugins/Linux/x64/libonnxruntime_providers_shared.so
N=$T/nm/node_modules
mkdir -p "$N/onnxruntime-node/bin/napi-v6/linux" "$N/onnxruntime-common"
cp -r "$T/onnxruntime-node-1.29.0/package/"{dist,package.json} "$N/onnxruntime-node/"
cp -r "$T/onnxruntime-node-1.29.0/package/bin/napi-v6/linux/x64" "$N/onnxruntime-node/bin/napi-v6/linux/"
cp -r "$T/onnxruntime-common-1.29.0/package/." "$N/onnxruntime-common/"
cp "$T/package/Plugins/Linux/x64/libonnxruntime_providers_shared.so" "$N/onnxruntime-node/bin/napi-v6/linux/x64/"
tar -C "$T/nm" -cf - node_modules | xz -T0 -6 >"$D/ort.tar.xz"

PROVIDER=$T/package/Plugins/Linux/x64/libonnxruntime_providers_cuda.so
(cd "$(dirname "$PROVIDER")" && sha256sum libonnxruntime_providers_cuda.so) >"$D/SHA256"
rm -f "$D"/part-*
xz -T0 -9 -c "$PROVIDER" | split -b 55M -d -a 2 - "$D/part-"
A=../shared/data/aic-sample
[ -d "$A" ] && tar -C "$(dirname "$A")" -cf "$D/aic.tar" aic-sample
ls -l "$D"

cat <<MSG
Carry the chunks in consecutive device calls (each within 30 s of the last), then run the bench:
MSG
for part in "$D"/part-*; do
  extra=""
  [ "$part" = "$(ls "$D"/part-* | tail -1)" ] && [ -f "$D/aic.tar" ] && extra=", \"$D/aic.tar\""
  echo "  carry [\"$part\"$extra]   command: bash bench/gpu/cuda-receive.sh"
done
echo "  carry [\".gpu-carry\", \"$D/ort.tar.xz\", \"$D/SHA256\"]   command: OUT=\$OUT bash bench/gpu/run.sh"
