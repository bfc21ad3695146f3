import {
  floatTensor,
  int64Tensor,
  type OnnxAttributeValue,
  type OnnxNode,
  type OnnxTensor,
} from "./onnx-proto.js";

/**
 * A value flowing through the converted graph. 4-D values are NCHW and `shape` is [C, H, W];
 * 2-D values are [N, D] and `shape` is [D]. The batch dimension is always implicit.
 */
export interface Value {
  name: string;
  shape: number[];
}

/** Accumulates ONNX nodes and initializers with collision-free names. */
export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();

  /** A fresh value name based on `hint` (Keras names may contain "/", which ONNX allows). */
  fresh(hint: string): string {
    let name = hint;
    for (let i = 1; this.used.has(name); i++) name = `${hint}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node and returns its (single) output name. */
  op(
    opType: string,
    inputs: readonly string[],
    hint: string,
    attributes?: Record<string, OnnxAttributeValue>,
  ): string {
    const out = this.fresh(hint);
    this.nodes.push({ opType, inputs, outputs: [out], name: out, ...(attributes ? { attributes } : {}) });
    return out;
  }

  floats(hint: string, dims: readonly number[], data: Float32Array): string {
    const name = this.fresh(hint);
    this.initializers.push(floatTensor(name, dims, data));
    return name;
  }

  scalar(hint: string, value: number): string {
    return this.floats(hint, [], Float32Array.of(value));
  }

  ints(hint: string, data: readonly number[]): string {
    const name = this.fresh(hint);
    this.initializers.push(int64Tensor(name, [data.length], data));
    return name;
  }
}
