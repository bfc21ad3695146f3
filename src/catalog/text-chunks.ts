import type { Readable } from "node:stream";

/** Decodes a byte stream as UTF-8 text chunks, dropping a leading BOM. */
export async function* textChunks(stream: Readable): AsyncGenerator<string> {
  // TextDecoder in streaming mode keeps multi-byte characters split across chunks intact.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: false });
  for await (const chunk of stream) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** Reads until the first newline so the format can be sniffed, then replays everything. */
export async function peekFirstLine(
  chunks: AsyncIterator<string>,
): Promise<{ firstLine: string; replay: AsyncGenerator<string> }> {
  const seen: string[] = [];
  let done = false;
  while (!seen.join("").includes("\n")) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    seen.push(next.value);
  }
  const head = seen.join("");
  async function* replay(): AsyncGenerator<string> {
    if (head) yield head;
    if (done) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  return { firstLine: head.split("\n", 1)[0] ?? "", replay: replay() };
}
