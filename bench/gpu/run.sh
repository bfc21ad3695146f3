#!/usr/bin/env bash
# GPU featurization bench, one command on a GPU machine: bash bench/gpu/run.sh
#   1. PyTorch eager ResNet50 fp32/fp16 (random weights) per batch size, exported to ONNX for the rest
#   2. mosaic model-only img/s on CUDA (fp32, fp16; NCHW and NHWC input), WebGPU and CPU, with feature
#      parity vs the CPU provider, all in this run on this card
#   3. parity of mosaic's default model per device, and CPU-vs-CUDA indexes of aic-sample (top-10 ids)
#   4. end-to-end featurize img/s on generated JPEGs next to decode-only, and one dashboard frame
# Uses node + node_modules from the repo when present, else the .gpu-carry/ pack (bench/gpu/pack.sh);
# the CUDA rows need the provider staged by bench/gpu/pack-cuda.sh + cuda-receive.sh (cuda-setup.sh).
# Env: OUT (logs, default /tmp/mosaic-gpu-out), IMAGES (default 4000), SECS (per model size, default 5),
#      BATCHES (CUDA/PyTorch batch sizes, default 64,128,256), STAGES (comma list, default all:
#      torch,model,uint8,parity,aic,e2e,dashboard; uint8 = the model rows with uint8 pixels in). Everything under $OUT is also packed into $OUT/all.tar.gz
#      at the end (the device carry returns only so many files).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-/tmp/mosaic-gpu-out}
W=${WORK:-/tmp/mosaic-gpu}
IMAGES=${IMAGES:-4000}
SECS=${SECS:-5}
BATCHES=${BATCHES:-64,128,256}
STAGES=${STAGES:-torch,model,uint8,parity,aic,e2e,dashboard}
has() { [[ ",$STAGES," == *",$1,"* ]]; }
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
  PARITY=("node" "$W/topk-parity.mjs")
  SUMMARY=("node" "$W/summarize.mjs")
  # shellcheck source=bench/gpu/cuda-setup.sh
  source "$ROOT/bench/gpu/cuda-setup.sh"
else
  MOSAIC=("node" "$ROOT/bin/mosaic.js")
  BENCH=("npx" "tsx" "$ROOT/bench/gpu/model-bench.ts")
  MKJPEG=("npx" "tsx" "$ROOT/bench/gpu/make-jpegs.ts")
  RATE=("npx" "tsx" "$ROOT/bench/gpu/e2e-rate.ts")
  PARITY=("npx" "tsx" "$ROOT/bench/gpu/topk-parity.ts")
  SUMMARY=("npx" "tsx" "$ROOT/bench/gpu/summarize.ts")
  CUDA=0
  [ -f "$ROOT/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so" ] && CUDA=1
fi
GPU=webgpu
[ "$CUDA" = 1 ] && GPU=cuda
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

log "PyTorch eager (batches $BATCHES)"
# Always runs: it also exports the ResNet50 ONNX files the model rows use.
PYTHONUNBUFFERED=1 python3 "$ROOT/bench/gpu/torch_bench.py" "$W/r50.onnx" "$BATCHES" 2>"$OUT/torch.err" | tee "$OUT/torch.jsonl"

log "mosaic model-only, ResNet50 ONNX"
: >"$OUT/model.jsonl"
mb() { "${BENCH[@]}" "$@" 2>>"$OUT/model.err" | tee -a "$OUT/model.jsonl"; }
if [ "$CUDA" = 1 ] && has model; then
  mb "$W/r50.onnx" nchw cuda fp32 "$BATCHES" "$SECS"
  mb "$W/r50.onnx" nchw cuda fp16 "$BATCHES" "$SECS"
  mb "$W/r50-nhwc.onnx" nhwc cuda fp16 "$BATCHES" "$SECS"
fi
# uint8 NHWC pixels in, Cast + normalize + transpose inside the graph (mosaic's default on GPUs).
if [ "$CUDA" = 1 ] && has uint8; then
  mb "$W/r50.onnx" nchw cuda fp32 "$BATCHES" "$SECS" uint8
  mb "$W/r50.onnx" nchw cuda fp16 "$BATCHES" "$SECS" uint8
fi
if has model; then
  mb "$W/r50.onnx" nchw webgpu fp16 16,64 "$SECS"
  mb "$W/r50.onnx" nchw webgpu fp32 16 "$SECS"
  mb "$W/r50.onnx" nchw cpu fp32 32 "$SECS"
fi

: >"$OUT/parity.jsonl"
if [ -f "$C/mobilenet.onnx" ] && has parity; then
  log "parity on mosaic's default model (NHWC), min cosine vs the CPU provider"
  for d in $GPU webgpu; do
    for p in fp32 fp16; do "${BENCH[@]}" "$C/mobilenet.onnx" nhwc "$d" $p 64 1 2>>"$OUT/model.err" | tee -a "$OUT/parity.jsonl"; done
    [ "$GPU" = webgpu ] && break
  done
fi
: >"$OUT/aic-parity.jsonl"
if [ -f /tmp/mosaic-cuda/aic.tar ] && [ -f "$C/mobilenet.onnx" ] && has aic; then
  log "aic-sample: CPU vs $GPU indexes of mosaic's default model"
  tar -C "$W" -xf /tmp/mosaic-cuda/aic.tar
  CAT=$(ls "$W"/aic-sample/*.{csv,tsv,jsonl} 2>/dev/null | head -1)
  for d in cpu "$GPU"; do
    for p in fp32 fp16; do
      [ "$d" = cpu ] && [ $p = fp16 ] && continue
      # From $W: the repo root's own mosaic.config.ts must not apply to these runs.
      (cd "$W" && "${MOSAIC[@]}" featurize --catalog "$CAT" --model "$C/mobilenet.onnx" --model-preset mobilenet-v2 \
        --id-column id --image-column image --facet department=department \
        --device "$d" --precision $p --cache-dir "$W/cache" -o "$W/aic-$d-$p" 2>"$OUT/aic-$d-$p.err" >/dev/null) \
        || tail -3 "$OUT/aic-$d-$p.err"
    done
  done
  for p in fp32 fp16; do
    [ -f "$W/aic-cpu-fp32/manifest.json" ] && [ -f "$W/aic-$GPU-$p/manifest.json" ] || continue
    echo "{\"name\":\"cpu-fp32 vs $GPU-$p\",$("${PARITY[@]}" "$W/aic-cpu-fp32" "$W/aic-$GPU-$p" | cut -c2-)" | tee -a "$OUT/aic-parity.jsonl"
  done
fi

if has e2e; then
log "end-to-end featurize ($IMAGES generated JPEGs, 480x360) on $GPU"
"${MKJPEG[@]}" "$W/jpegs" "$IMAGES" >/dev/null
for p in fp32 fp16; do
  echo "{\"model\":\"$W/r50.onnx\",\"modelPreset\":\"densenet121\",\"preprocess\":{\"layout\":\"nchw\"},\"precision\":\"$p\"}" >"$W/cfg-$p.json"
done
E2E=(featurize --catalog "$W/jpegs/catalog.tsv" --cache-dir "$W/cache" --device "$GPU" -b 128 --concurrency 128 --json)
: >"$OUT/e2e.jsonl"
rate() { echo "{\"name\":\"$1\",$("${RATE[@]}" "$2" | cut -c2-)" | tee -a "$OUT/e2e.jsonl"; }
# Each input form (MOSAIC_PIXELS): float32 tensors as before, uint8 pixels (the GPU default since issue 21's
# second round); a dry run decodes to the same form, so decode-only is that form's ceiling.
for px in float32 uint8; do
  MOSAIC_PIXELS=$px "${MOSAIC[@]}" --config "$W/cfg-fp32.json" "${E2E[@]}" --dry-run -o "$W/idx-dry" 2>"$OUT/e2e-dry-$px.events" >/dev/null
  rate "decode-only-$px" "$OUT/e2e-dry-$px.events"
  for p in fp32 fp16; do
    MOSAIC_PIXELS=$px "${MOSAIC[@]}" --config "$W/cfg-$p.json" "${E2E[@]}" -o "$W/idx-$p-$px" 2>"$OUT/e2e-$p-$px.events" >/dev/null
    rate "$GPU-$p-$px" "$OUT/e2e-$p-$px.events"
  done
done
fi

if command -v script >/dev/null && has dashboard; then
  log "dashboard frame (Ink, 110x40)"
  script -qfec "stty cols 110 rows 40; ${MOSAIC[*]} --config $W/cfg-fp16.json featurize --catalog $W/jpegs/catalog.tsv --cache-dir $W/cache --device $GPU -b 128 --concurrency 128 -o $W/idx-dash" /dev/null >"$OUT/dashboard.txt" 2>&1
fi

log "summary"
"${SUMMARY[@]}" "$OUT" | tee "$OUT/summary.txt"
tar -C "$OUT" --exclude=all.tar.gz -czf "$OUT/all.tar.gz" .
