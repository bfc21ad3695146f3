import type { PreprocessSpec } from "../contracts/preprocess-spec.js";
import { concatBytes, readFields, utf8, type WireField } from "./fp16-wire.js";
import { ProtoWriter } from "./onnx-proto.js";

const FLOAT = 1;
const UINT8 = 2;

/** The first graph input (the image) as the model declares it. */
export interface DeclaredInput {
  name: string;
  elemType: number | undefined;
  /** Numbers fixed, strings symbolic; [] when the model declares no shape. */
  shape: (number | string)[];
}

/** Reads the model's first non-initializer input: its name, element type and declared shape. */
export function declaredImageInput(model: Uint8Array): DeclaredInput | undefined {
  const graph = readFields(model).find((f) => f.field === 7 && f.wire === 2);
  if (!graph) return undefined;
  const fields = readFields(graph.bytes);
  const initializers = new Set(
    fields
      .filter((f) => f.field === 5)
      .map((f) => utf8(readFields(f.bytes).find((t) => t.field === 8)?.bytes ?? new Uint8Array())),
  );
  for (const f of fields) {
    if (f.field !== 11) continue;
    const info = readInput(f.bytes);
    if (!initializers.has(info.name)) return info;
  }
  return undefined;
}

/**
 * Rewrites a float image model to take uint8 pixels: the input becomes [N, H, W, 3] bytes in the spec's
 * channel order (what the decoder resamples to, before any normalizing), and the graph itself casts,
 * applies (pixel − mean) / std and transposes to NCHW where the model wants it. A batch then crosses
 * to the model worker and to the device as a quarter of the bytes, which is what bounds GPU runs
 * (bench/gpu/NOTES.md). Returns undefined when the input is not a float 4-d image input of that layout.
 */
export function addUint8Input(model: Uint8Array, spec: PreprocessSpec): Uint8Array | undefined {
  const input = declaredImageInput(model);
  if (!input || input.elemType !== FLOAT || input.shape.length !== 4) return undefined;
  const [n = "N", a, b, c] = input.shape;
  const fits = (dim: number | string | undefined, want: number) => typeof dim === "string" || dim === want;
  const nchw = spec.layout === "nchw";
  const ok = nchw
    ? fits(a, 3) && fits(b, spec.height) && fits(c, spec.width)
    : fits(a, spec.height) && fits(b, spec.width) && fits(c, 3);
  if (!ok) return undefined;
  const bytesShape = [n, spec.height, spec.width, 3];
  const inner = `${input.name}__normalized`;
  const out: Uint8Array[] = [];
  for (const f of readFields(model)) {
    if (f.field === 7 && f.wire === 2)
      out.push(lenField(7, rewriteGraph(f.bytes, input.name, inner, bytesShape, spec)));
    else out.push(f.raw);
  }
  return concatBytes(out);
}

function rewriteGraph(
  graph: Uint8Array,
  name: string,
  inner: string,
  shape: (number | string)[],
  spec: PreprocessSpec,
): Uint8Array {
  const p = (step: string) => `${name}__${step}`;
  const normalized = spec.layout === "nchw" ? p("nhwc") : inner;
  const head = [
    node("Cast", [name], [p("float")], (w) =>
      w.message(5, (a) => a.string(1, "to").int(3, FLOAT).int(20, 2)),
    ),
    node("Sub", [p("float"), p("mean")], [p("centered")]),
    node("Mul", [p("centered"), p("inv_std")], [normalized]),
  ];
  if (spec.layout === "nchw") {
    head.push(
      node("Transpose", [normalized], [inner], (w) =>
        w.message(5, (a) => {
          for (const v of [0, 3, 1, 2]) a.int(8, v);
          a.string(1, "perm").int(20, 7);
        }),
      ),
    );
  }
  const inverse = spec.std.map((s) => 1 / s);
  const rest: Uint8Array[] = [];
  for (const f of readFields(graph)) {
    if (f.field === 1) rest.push(lenField(1, renameInputs(readFields(f.bytes), name, inner)));
    else if (f.field === 11 && readInput(f.bytes).name === name)
      rest.push(lenField(11, valueInfo(name, UINT8, shape)));
    else if (f.field === 13 && readInput(f.bytes).name === name) {
      // The float annotation of the old input would contradict its new type; ORT re-infers it.
    } else rest.push(f.raw);
  }
  return concatBytes([
    ...head.map((h) => lenField(1, h)),
    ...rest,
    lenField(5, floatVector(p("mean"), spec.mean)),
    lenField(5, floatVector(p("inv_std"), inverse)),
  ]);
}

/** A node with its consumers of `from` reading `to` instead. */
function renameInputs(fields: WireField[], from: string, to: string): Uint8Array {
  return concatBytes(
    fields.map((f) =>
      f.field === 1 && utf8(f.bytes) === from ? new ProtoWriter().string(1, to).finish() : f.raw,
    ),
  );
}

function node(op: string, inputs: string[], outputs: string[], attrs?: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, `${outputs[0]}__node`).string(4, op);
  attrs?.(w);
  return w.finish();
}

function floatVector(name: string, values: readonly number[]): Uint8Array {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (const [i, v] of values.entries()) view.setFloat32(i * 4, v, true);
  return new ProtoWriter().int(1, values.length).int(2, FLOAT).string(8, name).bytes(9, raw).finish();
}

function valueInfo(name: string, elemType: number, shape: (number | string)[]): Uint8Array {
  return new ProtoWriter()
    .string(1, name)
    .message(2, (type) =>
      type.message(1, (tensor) => {
        tensor.int(1, elemType);
        tensor.message(2, (s) => {
          for (const d of shape)
            s.message(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.string(2, d)));
        });
      }),
    )
    .finish();
}

function readInput(bytes: Uint8Array): DeclaredInput {
  const fields = readFields(bytes);
  const name = utf8(fields.find((f) => f.field === 1)?.bytes ?? new Uint8Array());
  const type = fields.find((f) => f.field === 2);
  const tensor = type && readFields(type.bytes).find((f) => f.field === 1);
  const tensorFields = tensor ? readFields(tensor.bytes) : [];
  const elemType = tensorFields.find((f) => f.field === 1)?.value;
  const shapeField = tensorFields.find((f) => f.field === 2);
  const shape: (number | string)[] = [];
  for (const d of shapeField ? readFields(shapeField.bytes).filter((f) => f.field === 1) : []) {
    const dim = readFields(d.bytes);
    const value = dim.find((f) => f.field === 1);
    const param = dim.find((f) => f.field === 2);
    shape.push(value ? value.value : param ? utf8(param.bytes) : "?");
  }
  return { name, elemType, shape };
}

const lenField = (field: number, payload: Uint8Array) => new ProtoWriter().bytes(field, payload).finish();
