import { MosaicError } from "../errors.js";
import { floatToHalf } from "../search/f16.js";
import { concatBytes, readFields, utf8, type WireField } from "./fp16-wire.js";
import { ProtoWriter } from "./onnx-proto.js";

const FLOAT = 1;
const FLOAT16 = 10;

/** Inputs that ONNX types as float32 whatever the graph's precision (Resize roi/scales). */
const KEEP_FLOAT32: Record<string, readonly number[]> = { Resize: [1, 2], Upsample: [1] };

/**
 * Rewrites an ONNX model to run in float16 while keeping float32 inputs and outputs: float initializers
 * and constant tensors become float16, Casts to float become Casts to float16, and a Cast is inserted
 * after each float input and before each float output. Callers (and the index) see the same interface;
 * GPUs do half the memory traffic and can use their fp16 units. value_info is dropped: ORT re-infers it,
 * and stale float32 annotations would contradict the new types.
 *
 * Supports the plain feed-forward graphs feature models are (no If/Loop/Scan subgraphs, no external data).
 */
export function convertOnnxToFp16(model: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  let sawGraph = false;
  for (const f of readFields(model)) {
    if (f.field === 7 && f.wire === 2) {
      sawGraph = true;
      out.push(lenField(7, convertGraph(f.bytes)));
    } else out.push(f.raw);
  }
  if (!sawGraph) throw new MosaicError("fp16 conversion: the model has no graph", { hint: HINT });
  return concatBytes(out);
}

const HINT = "Use --precision fp32 for this model.";

interface ValueInfo {
  name: string;
  elemType: number | undefined;
}

function convertGraph(graph: Uint8Array): Uint8Array {
  const fields = readFields(graph);
  const initializerNames = new Set(
    fields.filter((f) => f.field === 5).map((f) => tensorName(readFields(f.bytes))),
  );
  const nodes = fields.filter((f) => f.field === 1).map((f) => readFields(f.bytes));
  const keepFloat32 = new Set<string>();
  for (const node of nodes) {
    const keep = KEEP_FLOAT32[opType(node)] ?? [];
    const inputs = node.filter((f) => f.field === 1).map((f) => utf8(f.bytes));
    for (const i of keep) if (inputs[i]) keepFloat32.add(inputs[i] as string);
  }

  // Float graph inputs feed the rest of the graph through a Cast; float outputs come out of one.
  const inputRename = new Map<string, string>();
  const outputRename = new Map<string, string>();
  const head: Uint8Array[] = [];
  const tail: Uint8Array[] = [];
  for (const f of fields) {
    if (f.field !== 11 && f.field !== 12) continue;
    const info = readValueInfo(f.bytes);
    if (info.elemType !== FLOAT || initializerNames.has(info.name)) continue;
    if (f.field === 11) {
      const inner = `${info.name}__fp16`;
      inputRename.set(info.name, inner);
      head.push(lenField(1, castNode(info.name, inner, FLOAT16)));
    } else {
      const inner = `${info.name}__fp16`;
      outputRename.set(info.name, inner);
      tail.push(lenField(1, castNode(inner, info.name, FLOAT)));
    }
  }
  const rename = (name: string) => inputRename.get(name) ?? outputRename.get(name) ?? name;

  const rest: Uint8Array[] = [];
  for (const f of fields) {
    if (f.field === 1) rest.push(lenField(1, convertNode(readFields(f.bytes), rename)));
    else if (f.field === 5) {
      const tensor = readFields(f.bytes);
      rest.push(keepFloat32.has(tensorName(tensor)) ? f.raw : lenField(5, convertTensor(tensor)));
    } else if (f.field === 13) {
      // value_info: dropped (see above).
    } else if (f.field === 15) {
      throw new MosaicError("fp16 conversion: sparse initializers are not supported", { hint: HINT });
    } else rest.push(f.raw);
  }
  // Node order must stay topological: input Casts first, output Casts last.
  return concatBytes([...head, ...rest, ...tail]);
}

function convertNode(node: WireField[], rename: (name: string) => string): Uint8Array {
  const op = opType(node);
  if (op === "If" || op === "Loop" || op === "Scan") {
    throw new MosaicError(`fp16 conversion: control flow (${op}) is not supported`, { hint: HINT });
  }
  const chunks: Uint8Array[] = [];
  for (const f of node) {
    if (f.field === 1 || f.field === 2) {
      const name = utf8(f.bytes);
      const renamed = rename(name);
      chunks.push(renamed === name ? f.raw : new ProtoWriter().string(f.field, renamed).finish());
    } else if (f.field === 5) {
      chunks.push(lenField(5, convertAttribute(readFields(f.bytes), op)));
    } else chunks.push(f.raw);
  }
  return concatBytes(chunks);
}

function convertAttribute(attr: WireField[], op: string): Uint8Array {
  const name = utf8(attr.find((f) => f.field === 1)?.bytes ?? new Uint8Array());
  const chunks: Uint8Array[] = [];
  for (const f of attr) {
    if (f.field === 3 && op === "Cast" && name === "to" && f.value === FLOAT) {
      chunks.push(new ProtoWriter().int(3, FLOAT16).finish());
    } else if (f.field === 5) {
      chunks.push(lenField(5, convertTensor(readFields(f.bytes))));
    } else if (f.field === 6 || f.field === 11) {
      throw new MosaicError("fp16 conversion: graph attributes are not supported", { hint: HINT });
    } else chunks.push(f.raw);
  }
  return concatBytes(chunks);
}

/** A float32 TensorProto re-encoded as float16 raw_data; other types pass through unchanged. */
function convertTensor(tensor: WireField[]): Uint8Array {
  const type = tensor.find((f) => f.field === 2)?.value;
  if (type !== FLOAT) return concatBytes(tensor.map((f) => f.raw));
  if (tensor.some((f) => f.field === 13 || (f.field === 14 && f.value === 1))) {
    throw new MosaicError("fp16 conversion: tensors stored as external data are not supported", {
      hint: HINT,
    });
  }
  const values = floatValues(tensor);
  const half = new Uint8Array(values.length * 2);
  const view = new DataView(half.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(i * 2, floatToHalf(values[i] as number), true);
  const w = new ProtoWriter();
  const kept = tensor.filter((f) => f.field !== 2 && f.field !== 4 && f.field !== 9).map((f) => f.raw);
  w.int(2, FLOAT16).bytes(9, half);
  return concatBytes([...kept, w.finish()]);
}

function floatValues(tensor: WireField[]): Float32Array {
  const raw = tensor.find((f) => f.field === 9);
  if (raw) {
    // Copy: the slice may not be 4-byte aligned inside the model buffer.
    const bytes = raw.bytes.slice();
    return new Float32Array(bytes.buffer, 0, bytes.length / 4);
  }
  const values: number[] = [];
  for (const f of tensor) {
    if (f.field !== 4) continue;
    const bytes = f.bytes.slice();
    const view = new DataView(bytes.buffer);
    // Packed (one LEN field) or one fixed32 field per value; both hold little-endian floats.
    for (let o = 0; o + 4 <= bytes.length; o += 4) values.push(view.getFloat32(o, true));
  }
  return Float32Array.from(values);
}

function readValueInfo(bytes: Uint8Array): ValueInfo {
  const fields = readFields(bytes);
  const name = utf8(fields.find((f) => f.field === 1)?.bytes ?? new Uint8Array());
  const type = fields.find((f) => f.field === 2);
  const tensorType = type && readFields(type.bytes).find((f) => f.field === 1);
  const elem = tensorType && readFields(tensorType.bytes).find((f) => f.field === 1);
  return { name, elemType: elem?.value };
}

const opType = (node: WireField[]) => utf8(node.find((f) => f.field === 4)?.bytes ?? new Uint8Array());
const tensorName = (tensor: WireField[]) =>
  utf8(tensor.find((f) => f.field === 8)?.bytes ?? new Uint8Array());
const lenField = (field: number, payload: Uint8Array) => new ProtoWriter().bytes(field, payload).finish();

function castNode(input: string, output: string, to: number): Uint8Array {
  return new ProtoWriter()
    .string(1, input)
    .string(2, output)
    .string(3, `${output}__cast`)
    .string(4, "Cast")
    .message(5, (a) => a.string(1, "to").int(3, to).int(20, 2))
    .finish();
}
