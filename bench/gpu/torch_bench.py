"""PyTorch eager baseline for bench/gpu: the same random-weight ResNet50 feature extractor that mosaic runs.

Exports it to ONNX twice (opset 17, dynamic batch): <out>.onnx takes NCHW input as PyTorch does, and
<out>-nhwc.onnx takes NHWC (a transpose in front), the layout mosaic's own decoder writes. Then times eager
fp32 and fp16 inference (cuDNN, channels-first) per batch size.
Usage: torch_bench.py <out.onnx> <batch,batch,...>
Prints one JSON line per batch: {"batch": n, "fp32": img/s, "fp16": img/s}.
"""
import json
import sys
import time

import torch
import torchvision

out_path = sys.argv[1]
batches = [int(b) for b in (sys.argv[2] if len(sys.argv) > 2 else "128").split(",")]

torch.manual_seed(0)
model = torchvision.models.resnet50(weights=None)
model.fc = torch.nn.Identity()  # 2048-d pooled features, as mosaic indexes them
model.eval()


class Nhwc(torch.nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x.permute(0, 3, 1, 2))


def export(m, example, path):
    with torch.no_grad():
        torch.onnx.export(
            m,
            example,
            path,
            input_names=["input"],
            output_names=["features"],
            dynamic_axes={"input": {0: "n"}, "features": {0: "n"}},
            opset_version=17,
            dynamo=False,
        )


export(model, torch.randn(1, 3, 224, 224), out_path)
export(Nhwc(model), torch.randn(1, 224, 224, 3), out_path.replace(".onnx", "-nhwc.onnx"))

dev = torch.device("cuda")
model = model.to(dev)
torch.backends.cudnn.benchmark = True  # PyTorch's own fastest setting, as ORT's EXHAUSTIVE conv search


def bench(m, dtype, batch, seconds=4.0):
    # Rotate among several inputs so repeated runs do not measure one cached buffer.
    xs = [torch.randn(batch, 3, 224, 224, device=dev, dtype=dtype) for _ in range(4)]
    with torch.no_grad():
        for i in range(8):
            m(xs[i % 4])
        torch.cuda.synchronize()
        t = time.perf_counter()
        n = 0
        while time.perf_counter() - t < seconds:
            m(xs[n % 4])
            n += 1
            if n % 8 == 0:
                torch.cuda.synchronize()
        torch.cuda.synchronize()
        return batch * n / (time.perf_counter() - t)


rows = {b: {"batch": b} for b in batches}
for b in batches:
    rows[b]["fp32"] = round(bench(model, torch.float32, b))
half = model.half()
for b in batches:
    rows[b]["fp16"] = round(bench(half, torch.float16, b))
for b in batches:
    print(json.dumps(rows[b]), flush=True)
