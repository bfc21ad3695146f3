#!/usr/bin/env bash
# GPU featurization bench, one command on a GPU machine: bash bench/gpu/run.sh
#   1. PyTorch eager ResNet50 fp32/fp16 (random weights), exported to ONNX for the rest
#   2. mosaic model-only img/s on WebGPU (fp32, fp16) and CPU, with feature parity vs the CPU
#   3. mosaic end-to-end featurize img/s on generated JPEGs (plus decode-only), and one dashboard frame
# Uses node + node_modules from the repo when present, else the .gpu-carry/ pack (bench/gpu/pack.sh).
# Env: OUT (logs, default /tmp/mosaic-gpu-out), IMAGES (default 4000), SECS (per model size, default 6).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-/tmp/mosaic-gpu-out}
W=${WORK:-/tmp/mosaic-gpu}
IMAGES=${IMAGES:-4000}
SECS=${SECS:-6}
mkdir -p "$OUT" "$W"
log() { echo "== $*" | tee -a "$OUT/bench.log"; }

C=$ROOT/.gpu-carry
if [ -f "$C/nm.tar.xz" ]; then
  command -v node >/dev/null || { xz -dc "$C/node.xz" >"$W/node" && chmod +x "$W/node"; }
  export PATH=$W:$PATH
  tar -C "$W" -xJf "$C/nm.tar.xz"
  xz -dc "$C/mosaic.mjs.xz" >"$W/mosaic.mjs"
  cp "$C"/*.mjs "$C"/decode.js "$W/"
  echo '{"type":"module"}' >"$W/package.json"
  MOSAIC=("node" "$W/mosaic.mjs")
  BENCH=("node" "$W/model-bench.mjs")
  MKJPEG=("node" "$W/make-jpegs.mjs")
  RATE=("node" "$W/e2e-rate.mjs")
else
  MOSAIC=("node" "$ROOT/bin/mosaic.js")
  BENCH=("npx" "tsx" "$ROOT/bench/gpu/model-bench.ts")
  MKJPEG=("npx" "tsx" "$ROOT/bench/gpu/make-jpegs.ts")
  RATE=("npx" "tsx" "$ROOT/bench/gpu/e2e-rate.ts")
fi
# Dawn reaches NVIDIA/AMD/Intel GPUs through the Vulkan loader; bring one if the system has none.
# NVIDIA's Vulkan ICD (libGLX_nvidia) also needs libglvnd's dispatch libraries, hence the GL packages.
if ! ldconfig -p | grep -q libvulkan.so.1 && ls "$C"/*.deb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    for f in "$C"/*.deb; do dpkg -x "$f" /; done
    ldconfig
  else
    for f in "$C"/*.deb; do dpkg -x "$f" "$W/gl"; done
    export LD_LIBRARY_PATH=$W/gl/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
  fi
fi
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$ICD" ] && export VK_DRIVER_FILES=$ICD
# sharp decodes on the libuv pool: one thread per core keeps the GPU fed (default is 4).
export UV_THREADPOOL_SIZE=${UV_THREADPOOL_SIZE:-$(nproc)}
log "node $(node --version), $(nproc) cores, $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null)"

log "PyTorch eager (batch 128)"
python3 "$ROOT/bench/gpu/torch_bench.py" "$W/r50.onnx" 128 2>"$OUT/torch.err" | tee "$OUT/torch.json"
TORCH_FP16=$(python3 -c "import json;print(json.load(open('$OUT/torch.json'))['fp16'])" 2>/dev/null || echo 0)
TORCH_FP32=$(python3 -c "import json;print(json.load(open('$OUT/torch.json'))['fp32'])" 2>/dev/null || echo 0)

log "mosaic model-only, ResNet50 ONNX (NCHW)"
: >"$OUT/model.jsonl"
"${BENCH[@]}" "$W/r50.onnx" nchw webgpu fp32 16,64,128 "$SECS" 2>>"$OUT/model.err" | tee -a "$OUT/model.jsonl"
"${BENCH[@]}" "$W/r50.onnx" nchw webgpu fp16 64,128 "$SECS" 2>>"$OUT/model.err" | tee -a "$OUT/model.jsonl"
"${BENCH[@]}" "$W/r50.onnx" nchw cpu fp32 32 "$SECS" 2>>"$OUT/model.err" | tee -a "$OUT/model.jsonl"
if [ -f "$C/mobilenet.onnx" ]; then
  log "parity on mosaic's default model (mobilenet-v2 cut, NHWC)"
  for p in fp32 fp16; do "${BENCH[@]}" "$C/mobilenet.onnx" nhwc webgpu $p 64 2 2>>"$OUT/model.err" | tee -a "$OUT/parity.jsonl"; done
fi

log "end-to-end featurize ($IMAGES generated JPEGs, 480x360)"
"${MKJPEG[@]}" "$W/jpegs" "$IMAGES" >/dev/null
for p in fp32 fp16; do
  echo "{\"model\":\"$W/r50.onnx\",\"modelPreset\":\"densenet121\",\"preprocess\":{\"layout\":\"nchw\"},\"precision\":\"$p\"}" >"$W/cfg-$p.json"
done
E2E=(featurize --catalog "$W/jpegs/catalog.tsv" --cache-dir "$W/cache" --device webgpu -b 64 --concurrency 64 --json)
"${MOSAIC[@]}" --config "$W/cfg-fp32.json" "${E2E[@]}" --dry-run -o "$W/idx-dry" 2>"$OUT/e2e-dry.jsonl" >/dev/null
echo "decode-only (dry run): $("${RATE[@]}" "$OUT/e2e-dry.jsonl")" | tee -a "$OUT/bench.log"
for p in fp32 fp16; do
  "${MOSAIC[@]}" --config "$W/cfg-$p.json" "${E2E[@]}" -o "$W/idx-$p" 2>"$OUT/e2e-$p.jsonl" >/dev/null
  echo "e2e $p: $("${RATE[@]}" "$OUT/e2e-$p.jsonl")" | tee -a "$OUT/bench.log" "$OUT/e2e.txt"
done

if command -v script >/dev/null; then
  log "dashboard frame (Ink, 110x40)"
  script -qfec "stty cols 110 rows 40; ${MOSAIC[*]} --config $W/cfg-fp16.json featurize --catalog $W/jpegs/catalog.tsv --cache-dir $W/cache --device webgpu -b 64 --concurrency 64 -o $W/idx-dash" /dev/null >"$OUT/dashboard.txt" 2>&1
fi

log "summary"
node -e '
const fs = require("fs");
const [torch32, torch16, out] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3]];
const rows = fs.readFileSync(out + "/model.jsonl", "utf8").split("\n").filter((l) => l.startsWith("{")).map(JSON.parse);
const best = (d, p) => Math.max(0, ...rows.filter((r) => r.device === d && r.precision === p).map((r) => r.imgPerSec));
const e2e = {};
for (const l of fs.readFileSync(out + "/e2e.txt", "utf8").split("\n")) { const m = l.match(/^e2e (\w+): (.*)$/); if (m) e2e[m[1]] = JSON.parse(m[2]); }
const f = (x) => x.toFixed(2);
console.log(`PyTorch eager            fp32 ${torch32} img/s   fp16 ${torch16} img/s`);
for (const r of rows) console.log(`mosaic ${r.device.padEnd(7)} ${r.precision} batch ${String(r.batch).padEnd(4)} ${String(r.imgPerSec).padStart(6)} img/s   cosine vs cpu ${r.cosineMin}`);
for (const p of ["fp32", "fp16"]) {
  const m = best("webgpu", p);
  console.log(`webgpu ${p}: model-only ${m} img/s = ${f(m / torch16)}x PyTorch fp16, ${f(m / torch32)}x PyTorch fp32; e2e steady ${e2e[p]?.steady} (overall ${e2e[p]?.overall}) = ${f((e2e[p]?.steady ?? 0) / m)}x model-only`);
}' "$TORCH_FP32" "$TORCH_FP16" "$OUT" | tee "$OUT/summary.txt"
