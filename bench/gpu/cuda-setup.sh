# Sourced by run.sh after it unpacks node_modules into $W. When the CUDA provider's chunks are staged in
# /tmp/mosaic-cuda (cuda-receive.sh) and ort.tar.xz travelled with this call, swaps onnxruntime-node for
# 1.29.0 with its CUDA provider and puts CUDA 13 + cuDNN 9 from the Python `nvidia` packages (beside
# PyTorch) on LD_LIBRARY_PATH. Sets CUDA=1 when that worked, else CUDA=0 with the reason in CUDA_WHY.
S=/tmp/mosaic-cuda
CUDA=0
CUDA_WHY=""
if [ ! -f "$ROOT/.gpu-cuda/ort.tar.xz" ]; then
  CUDA_WHY="no .gpu-cuda/ort.tar.xz carried (bench/gpu/pack-cuda.sh)"
elif ! ls "$S"/part-* >/dev/null 2>&1; then
  CUDA_WHY="no provider chunks in $S (run bench/gpu/cuda-receive.sh in the calls before this one)"
else
  cat "$S"/part-* | xz -dc >"$W/libonnxruntime_providers_cuda.so"
  if ! (cd "$W" && sha256sum --quiet -c "$ROOT/.gpu-cuda/SHA256"); then
    CUDA_WHY="reassembled provider fails its sha256 (a chunk is missing or stale: $(ls "$S" | tr '\n' ' '))"
  else
    rm -rf "$W/node_modules/onnxruntime-node" "$W/node_modules/onnxruntime-common"
    tar -C "$W" -xJf "$ROOT/.gpu-cuda/ort.tar.xz"
    mv "$W/libonnxruntime_providers_cuda.so" "$W/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/"
    # Every folder of the nvidia namespace package that holds shared libraries (cublas, cudnn, cudart…).
    NV=$(python3 -c '
import os, nvidia
dirs = set()
for top in nvidia.__path__:
    for root, _, files in os.walk(top):
        if any(".so" in f for f in files):
            dirs.add(root)
print(":".join(sorted(dirs)))' 2>/dev/null)
    if [ -z "$NV" ]; then
      CUDA_WHY="python3 has no nvidia CUDA packages to borrow libraries from"
    else
      export LD_LIBRARY_PATH=$NV:${LD_LIBRARY_PATH:-}
      CUDA=1
    fi
  fi
fi
echo "== CUDA provider: $([ "$CUDA" = 1 ] && echo "onnxruntime-node 1.29.0 + CUDA EP, libraries from $(echo "$NV" | tr ':' '\n' | wc -l) nvidia folders" || echo "not used: $CUDA_WHY")" | tee -a "$OUT/bench.log"
