/**
 * Just enough protobuf reading for graph passes: split a message into its fields, keeping each field's
 * exact bytes so a pass can copy what it does not touch verbatim and re-encode only what it changes.
 */

export const Wire = { VARINT: 0, FIXED64: 1, LEN: 2, FIXED32: 5 } as const;

export interface WireField {
  field: number;
  wire: number;
  /** The whole field, tag included: copy it to keep the field as it was. */
  raw: Uint8Array;
  /** Payload of a length-delimited field (bytes, string, sub-message, packed repeated). */
  bytes: Uint8Array;
  /** Value of a varint field (as a number; ONNX enums, dims and flags all fit). */
  value: number;
}

function readVarint(buf: Uint8Array, pos: number): { value: number; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let p = pos; p < buf.length; p++) {
    const b = buf[p] as number;
    value |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return { value: Number(BigInt.asIntN(64, value)), next: p + 1 };
    shift += 7n;
  }
  throw new Error("truncated protobuf varint");
}

/** The fields of one message, in order. Throws on malformed input (truncation, group wire types). */
export function readFields(buf: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const tag = readVarint(buf, pos);
    pos = tag.next;
    const field = Math.floor(tag.value / 8);
    const wire = tag.value & 7;
    let bytes = buf.subarray(0, 0);
    let value = 0;
    if (wire === Wire.VARINT) {
      const v = readVarint(buf, pos);
      value = v.value;
      pos = v.next;
    } else if (wire === Wire.LEN) {
      const len = readVarint(buf, pos);
      pos = len.next;
      if (pos + len.value > buf.length) throw new Error("truncated protobuf field");
      bytes = buf.subarray(pos, pos + len.value);
      pos += len.value;
    } else if (wire === Wire.FIXED32 || wire === Wire.FIXED64) {
      pos += wire === Wire.FIXED32 ? 4 : 8;
      if (pos > buf.length) throw new Error("truncated protobuf field");
      bytes = buf.subarray(pos - (wire === Wire.FIXED32 ? 4 : 8), pos);
    } else {
      throw new Error(`unsupported protobuf wire type ${wire}`);
    }
    fields.push({ field, wire, raw: buf.subarray(start, pos), bytes, value });
  }
  return fields;
}

export const utf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Concatenates byte chunks (a message rebuilt from copied and re-encoded fields). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
