import { describe, expect, it } from "vitest";
import { convertLayersToOnnx } from "../../src/model/convert-layers.js";
import { verifyParity } from "../../src/model/parity.js";
import type { Pooling } from "../../src/model/pooling.js";
import { artifactsOf, randomizeBatchNorms, tf, unitSpec } from "./tf-fixtures.js";

type Build = (x: tf.SymbolicTensor) => tf.SymbolicTensor | tf.SymbolicTensor[];

/** Builds a model, converts it, and checks ONNX Runtime against tfjs (cosine per sample). */
async function parityOf(size: number, build: Build, pooling: Pooling = "mean", cut?: string[]) {
  const input = tf.input({ shape: [size, size, 3] });
  const out = build(input);
  const model = tf.model({ inputs: input, outputs: out });
  randomizeBatchNorms(model);
  const a = await artifactsOf(model);
  const conv = convertLayersToOnnx(a, { cutAt: cut, pooling });
  const parity = await verifyParity(a, conv.onnx, conv.cutAt, pooling, unitSpec(size), {
    minCosine: 0.99999,
  });
  model.dispose();
  return { conv, parity };
}

const L = tf.layers;
const sym = (t: tf.SymbolicTensor | tf.SymbolicTensor[] | tf.Tensor | tf.Tensor[]) => t as tf.SymbolicTensor;

describe("convertLayersToOnnx layer by layer (vs tfjs)", () => {
  it.each([8, 7])("Conv2D same padding, stride 2, on a %i px square (TF pads bottom/right)", async (size) => {
    const { parity, conv } = await parityOf(size, (x) =>
      sym(L.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: "same", activation: "relu" }).apply(x)),
    );
    expect(conv.dim).toBe(5);
    expect(parity.minCosine).toBeGreaterThan(0.99999);
  });

  it("Conv2D valid + dilation, no bias, sigmoid", async () => {
    const { parity } = await parityOf(11, (x) =>
      sym(
        L.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2, useBias: false, activation: "sigmoid" }).apply(
          x,
        ),
      ),
    );
    expect(parity.minCosine).toBeGreaterThan(0.99999);
  });

  it("DepthwiseConv2D (multiplier 2, stride 2 same) + folded BatchNormalization + ReLU(max 6)", async () => {
    const { parity } = await parityOf(9, (x) => {
      let y = sym(
        L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: "same" }).apply(x),
      );
      y = sym(L.batchNormalization({ epsilon: 1e-3 }).apply(y));
      return sym(L.reLU({ maxValue: 6 }).apply(y));
    });
    expect(parity.minCosine).toBeGreaterThan(0.99999);
  });

  it("standalone BatchNormalization (scale=false) and pools: max same, avg same (padding excluded), avg valid", async () => {
    const { parity } = await parityOf(
      9,
      (x) => {
        const bn = sym(L.batchNormalization({ scale: false }).apply(x));
        const a = sym(L.maxPooling2d({ poolSize: 3, strides: 2, padding: "same" }).apply(bn));
        const b = sym(L.averagePooling2d({ poolSize: 3, strides: 2, padding: "same" }).apply(bn));
        const c = sym(L.averagePooling2d({ poolSize: 2, strides: 2, padding: "valid" }).apply(bn));
        return [
          a,
          b,
          sym(
            L.zeroPadding2d({
              padding: [
                [0, 1],
                [0, 1],
              ],
            }).apply(c),
          ),
        ];
      },
      "mean+std",
    );
    expect(parity.minCosine).toBeGreaterThan(0.99999);
  });

  it("ZeroPadding2D asymmetric + Conv2D valid stride 2 (MobileNetV2 stem)", async () => {
    const { parity } = await parityOf(
      8,
      (x) => {
        const p = sym(
          L.zeroPadding2d({
            padding: [
              [1, 2],
              [0, 1],
            ],
          }).apply(x),
        );
        return sym(L.conv2d({ filters: 6, kernelSize: 3, strides: 2 }).apply(p));
      },
      "max",
    );
    expect(parity.minCosine).toBeGreaterThan(0.99999);
  });

  it("Concatenate, Add, Multiply, GlobalAveragePooling2D", async () => {
    const { parity, conv } = await parityOf(6, (x) => {
      const a = sym(L.conv2d({ filters: 3, kernelSize: 1 }).apply(x));
      const b = sym(L.conv2d({ filters: 3, kernelSize: 3, padding: "same" }).apply(x));
      const s = sym(L.add().apply([a, b, x]));
      const m = sym(L.multiply().apply([s, a]));
      const c = sym(L.concatenate().apply([s, m, x]));
      return sym(L.globalAveragePooling2d({}).apply(c));
    });
    expect(conv.dim).toBe(9);
    expect(parity.minCosine).toBeGreaterThan(0.99999);
  });

  it("Flatten (NHWC order) + Dense + Dropout + Dense softmax", async () => {
    const { parity } = await parityOf(5, (x) => {
      const c = sym(L.conv2d({ filters: 4, kernelSize: 2, activation: "tanh" }).apply(x));
      const f = sym(L.flatten().apply(c));
      const d = sym(L.dropout({ rate: 0.5 }).apply(sym(L.dense({ units: 16, activation: "relu" }).apply(f))));
      return sym(L.dense({ units: 7, activation: "softmax" }).apply(d));
    });
    expect(parity.minCosine).toBeGreaterThan(0.99999);
  });

  it("Reshape back to a feature map", async () => {
    const { parity } = await parityOf(
      4,
      (x) => {
        const f = sym(L.flatten().apply(sym(L.conv2d({ filters: 2, kernelSize: 1 }).apply(x))));
        const r = sym(L.reshape({ targetShape: [8, 2, 2] }).apply(f));
        return sym(L.conv2d({ filters: 3, kernelSize: 2, strides: 2 }).apply(r));
      },
      "mean+std",
    );
    expect(parity.minCosine).toBeGreaterThan(0.99999);
  });

  it("activations: Activation layers, LeakyReLU, Softmax, ELU", async () => {
    const acts = [
      "relu",
      "relu6",
      "sigmoid",
      "tanh",
      "elu",
      "selu",
      "softplus",
      "softsign",
      "hardSigmoid",
      "swish",
      "softmax",
      "linear",
    ];
    const { parity } = await parityOf(
      4,
      (x) => {
        const c = sym(L.conv2d({ filters: 3, kernelSize: 1 }).apply(x));
        const branches = acts.map((activation) =>
          sym(L.activation({ activation: activation as "relu" }).apply(c)),
        );
        branches.push(
          sym(L.leakyReLU({ alpha: 0.2 }).apply(c)),
          sym(L.softmax({ axis: -1 }).apply(c)),
          sym(L.elu({}).apply(c)),
        );
        return sym(L.concatenate().apply(branches));
      },
      "mean+std",
    );
    expect(parity.minCosine).toBeGreaterThan(0.99999);
  });

  it("several cuts are pooled each and concatenated", async () => {
    const { conv, parity } = await parityOf(
      6,
      (x) => {
        const a = sym(L.conv2d({ filters: 4, kernelSize: 3, name: "first" }).apply(x));
        return sym(L.conv2d({ filters: 2, kernelSize: 3, name: "second" }).apply(a));
      },
      "mean+std",
      ["first", "second"],
    );
    expect(conv.dim).toBe(2 * 4 + 2 * 2);
    expect(parity.minCosine).toBeGreaterThan(0.99999);
  });

  it("prunes layers the cut does not need, and names unknown layers", async () => {
    const input = tf.input({ shape: [4, 4, 3] });
    const a = sym(L.conv2d({ filters: 2, kernelSize: 1, name: "keep" }).apply(input));
    const b = sym(L.conv2d({ filters: 2, kernelSize: 1, name: "drop" }).apply(a));
    const art = await artifactsOf(tf.model({ inputs: input, outputs: b }));
    const conv = convertLayersToOnnx(art, { cutAt: "keep", pooling: "mean" });
    expect(new TextDecoder().decode(conv.onnx)).not.toContain("drop/W");
    expect(() => convertLayersToOnnx(art, { cutAt: "nope", pooling: "mean" })).toThrow(
      /no layer named "nope"/,
    );
  });
});

describe("feature recipes (multi-part heads)", () => {
  it("per-part L2, weights, GeM and a colour histogram match the reference, for RGB and BGR input", async () => {
    const input = tf.input({ shape: [12, 12, 3] });
    const a1 = sym(
      L.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu", name: "a1" }).apply(input),
    );
    const a2 = sym(
      L.conv2d({
        filters: 6,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        activation: "relu",
        name: "a2",
      }).apply(a1),
    );
    const model = tf.model({ inputs: input, outputs: a2 });
    const a = await artifactsOf(model);
    const features = {
      parts: [
        { layer: "a2", stat: "mean" as const },
        { layer: "a2", stat: "std" as const },
        { layer: "a1", stat: "gem3" as const, weight: 1.5 },
      ],
      colorHistogram: { bins: 4 },
    };
    for (const spec of [
      unitSpec(12),
      {
        ...unitSpec(12),
        channelOrder: "bgr" as const,
        mean: [103.9, 116.8, 123.7] as [number, number, number],
        std: [1, 1, 1] as [number, number, number],
      },
    ]) {
      const conv = convertLayersToOnnx(a, { pooling: "mean", features, spec });
      expect(conv.dim).toBe(6 + 6 + 4 + 64);
      const parity = await verifyParity(a, conv.onnx, conv.cutAt, features, spec, { minCosine: 0.99999 });
      expect(parity.minCosine).toBeGreaterThan(0.99999);
    }
    model.dispose();
  });

  it("a histogram head without the preprocessing spec is refused", async () => {
    const input = tf.input({ shape: [4, 4, 3] });
    const model = tf.model({
      inputs: input,
      outputs: sym(L.conv2d({ filters: 2, kernelSize: 1, name: "c" }).apply(input)),
    });
    const a = await artifactsOf(model);
    expect(() =>
      convertLayersToOnnx(a, {
        pooling: "mean",
        features: { parts: [{ layer: "c", stat: "mean" }], colorHistogram: { bins: 8 } },
      }),
    ).toThrow(/preprocessing spec/);
    model.dispose();
  });
});
