import * as ort from "onnxruntime-node";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import {
  encodeOnnxModel,
  floatTensor,
  int64Tensor,
  OnnxDataType,
  ProtoWriter,
} from "../../src/model/onnx-proto.js";

// A decoding schema written independently of the encoder (field numbers from onnx.proto).
const root = protobuf.Root.fromJSON({
  nested: {
    ModelProto: {
      fields: {
        irVersion: { id: 1, type: "int64" },
        producerName: { id: 2, type: "string" },
        graph: { id: 7, type: "GraphProto" },
        opsetImport: { id: 8, type: "OperatorSetIdProto", rule: "repeated" },
        metadataProps: { id: 14, type: "StringStringEntryProto", rule: "repeated" },
      },
    },
    StringStringEntryProto: { fields: { key: { id: 1, type: "string" }, value: { id: 2, type: "string" } } },
    OperatorSetIdProto: { fields: { domain: { id: 1, type: "string" }, version: { id: 2, type: "int64" } } },
    GraphProto: {
      fields: {
        node: { id: 1, type: "NodeProto", rule: "repeated" },
        name: { id: 2, type: "string" },
        initializer: { id: 5, type: "TensorProto", rule: "repeated" },
        input: { id: 11, type: "ValueInfoProto", rule: "repeated" },
        output: { id: 12, type: "ValueInfoProto", rule: "repeated" },
      },
    },
    NodeProto: {
      fields: {
        input: { id: 1, type: "string", rule: "repeated" },
        output: { id: 2, type: "string", rule: "repeated" },
        name: { id: 3, type: "string" },
        opType: { id: 4, type: "string" },
        attribute: { id: 5, type: "AttributeProto", rule: "repeated" },
      },
    },
    AttributeProto: {
      fields: {
        name: { id: 1, type: "string" },
        f: { id: 2, type: "float" },
        i: { id: 3, type: "int64" },
        s: { id: 4, type: "bytes" },
        floats: { id: 7, type: "float", rule: "repeated" },
        ints: { id: 8, type: "int64", rule: "repeated" },
        type: { id: 20, type: "int32" },
      },
    },
    TensorProto: {
      fields: {
        dims: { id: 1, type: "int64", rule: "repeated" },
        dataType: { id: 2, type: "int32" },
        name: { id: 8, type: "string" },
        rawData: { id: 9, type: "bytes" },
      },
    },
    ValueInfoProto: { fields: { name: { id: 1, type: "string" }, type: { id: 2, type: "TypeProto" } } },
    TypeProto: { fields: { tensorType: { id: 1, type: "TypeTensor" } } },
    TypeTensor: {
      fields: { elemType: { id: 1, type: "int32" }, shape: { id: 2, type: "TensorShapeProto" } },
    },
    TensorShapeProto: { fields: { dim: { id: 1, type: "Dimension", rule: "repeated" } } },
    Dimension: { fields: { dimValue: { id: 1, type: "int64" }, dimParam: { id: 2, type: "string" } } },
  },
});

const tiny = () =>
  encodeOnnxModel({
    graphName: "tiny",
    nodes: [
      { opType: "Add", inputs: ["x", "b"], outputs: ["y"], name: "add" },
      {
        opType: "LeakyRelu",
        inputs: ["y"],
        outputs: ["z"],
        name: "leaky",
        attributes: { alpha: { float: 0.5 } },
      },
      { opType: "ReduceSum", inputs: ["z", "axes"], outputs: ["out"], attributes: { keepdims: 0 } },
    ],
    initializers: [floatTensor("b", [3], Float32Array.of(1, -2, 3)), int64Tensor("axes", [1], [-1])],
    inputs: [{ name: "x", elemType: OnnxDataType.FLOAT, shape: ["N", 3] }],
    outputs: [{ name: "out", elemType: OnnxDataType.FLOAT, shape: ["N"] }],
    opset: 17,
    irVersion: 8,
    producerName: "mosaic-test",
    producerVersion: "0",
    metadata: { cut: "a,b" },
  });

describe("onnx-proto", () => {
  it("encodes varints including negative int64 as 10 bytes", () => {
    const w = new ProtoWriter();
    w.varint(300);
    expect([...w.finish()]).toEqual([0xac, 0x02]);
    const n = new ProtoWriter();
    n.varint(-1);
    expect([...n.finish()]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it("decodes back with an independent protobufjs schema", () => {
    const m = root.lookupType("ModelProto").toObject(root.lookupType("ModelProto").decode(tiny()), {
      longs: Number,
      // biome-ignore lint/suspicious/noExplicitAny: decoded protobuf objects are checked field by field below
    }) as Record<string, any>;
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport[0].version).toBe(17);
    expect(m.metadataProps).toEqual([{ key: "cut", value: "a,b" }]);
    expect(m.graph.node.map((n: { opType: string }) => n.opType)).toEqual(["Add", "LeakyRelu", "ReduceSum"]);
    expect(m.graph.node[1].attribute[0]).toMatchObject({ name: "alpha", f: 0.5, type: 1 });
    expect(m.graph.node[2].attribute[0]).toMatchObject({ name: "keepdims", i: 0, type: 2 });
    expect(m.graph.initializer[0]).toMatchObject({ name: "b", dims: [3], dataType: 1 });
    expect(new Float32Array(new Uint8Array(m.graph.initializer[0].rawData).buffer)).toEqual(
      Float32Array.of(1, -2, 3),
    );
    expect(m.graph.input[0].type.tensorType.shape.dim).toEqual([{ dimParam: "N" }, { dimValue: 3 }]);
  });

  it("produces a model ONNX Runtime loads and runs", async () => {
    const session = await ort.InferenceSession.create(tiny());
    const out = await session.run({
      x: new ort.Tensor("float32", Float32Array.of(0, 0, 0, 1, 1, 1), [2, 3]),
    });
    // row 0: [1,-2,3] → leaky [1,-1,3] → 3; row 1: [2,-1,4] → [2,-0.5,4] → 5.5
    expect(Array.from(out.out!.data as Float32Array)).toEqual([3, 5.5]);
    await session.release();
  });
});
