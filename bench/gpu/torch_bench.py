"""PyTorch eager baseline for bench/gpu: the same random-weight ResNet50 feature extractor that mosaic runs.

Exports it to ONNX (NCHW, dynamic batch) for the mosaic side, then times eager fp32 and fp16 inference.
Prints one JSON line: {"fp32": img/s, "fp16": img/s, "batch": n, "onnx": path}.
"""
import json
import sys
import time

import torch
import torchvision

out_path = sys.argv[1]
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 128

torch.manual_seed(0)
model = torchvision.models.resnet50(weights=None)
model.fc = torch.nn.Identity()  # 2048-d pooled features, as mosaic indexes them
model.eval()

with torch.no_grad():
    torch.onnx.export(
        model,
        torch.randn(1, 3, 224, 224),
        out_path,
        input_names=["input"],
        output_names=["features"],
        dynamic_axes={"input": {0: "n"}, "features": {0: "n"}},
        opset_version=17,
        dynamo=False,
    )

dev = torch.device("cuda")
model = model.to(dev)


def bench(m, dtype, iters=30):
    # Rotate among several inputs so repeated runs do not measure one cached buffer.
    xs = [torch.randn(batch, 3, 224, 224, device=dev, dtype=dtype) for _ in range(4)]
    with torch.no_grad():
        for i in range(5):
            m(xs[i % 4])
        torch.cuda.synchronize()
        t = time.perf_counter()
        for i in range(iters):
            m(xs[i % 4])
        torch.cuda.synchronize()
        return batch * iters / (time.perf_counter() - t)


fp32 = bench(model, torch.float32)
fp16 = bench(model.half(), torch.float16)
print(json.dumps({"fp32": round(fp32), "fp16": round(fp16), "batch": batch, "onnx": out_path}))
