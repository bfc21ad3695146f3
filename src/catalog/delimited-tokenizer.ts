/** One logical record of a delimited file: its fields, or why it could not be split. */
export type RawRecord = { fields: string[] } | { error: string };

type Attempt =
  | { kind: "ok"; fields: string[]; next: number }
  | { kind: "more" }
  | { kind: "bad"; error: string; at: number };

/**
 * Splits CSV/TSV text into records, fed chunk by chunk (RFC 4180 quoting: "" escapes a quote, quoted
 * fields may hold delimiters and newlines; a quote inside an unquoted field is kept literally).
 *
 * Why not csv-parse: with skip_records_with_error it stays inside the broken quote after an error and
 * swallows the following good rows, and relax_quotes silently merges rows. Here a bad record costs only
 * its own line: parsing resumes at the next physical line, and an unterminated quote is cut off after
 * `maxRecordChars` (or at end of input) so the lines after it are re-read as records of their own.
 */
export class DelimitedTokenizer {
  private buffer = "";

  constructor(
    private readonly delimiter: string,
    private readonly maxRecordChars = 1 << 20,
  ) {}

  /** Adds text and returns the records it completed. */
  push(text: string): RawRecord[] {
    this.buffer += text;
    return this.drain(false);
  }

  /** Flushes the last record at end of input. */
  end(): RawRecord[] {
    return this.drain(true);
  }

  private drain(eof: boolean): RawRecord[] {
    const records: RawRecord[] = [];
    const buf = this.buffer;
    let start = 0;
    while (start < buf.length) {
      // Blank lines separate nothing; skip them like csv-parse's skip_empty_lines.
      if (buf[start] === "\n") {
        start += 1;
        continue;
      }
      if (buf[start] === "\r" && buf[start + 1] === "\n") {
        start += 2;
        continue;
      }
      if (buf[start] === "\r" && start + 1 === buf.length && !eof) break;
      let attempt = this.parseRecord(buf, start, eof);
      if (attempt.kind === "more" && buf.length - start > this.maxRecordChars) {
        attempt = {
          kind: "bad",
          error: `record longer than ${this.maxRecordChars} characters (unclosed quote?)`,
          at: start,
        };
      }
      if (attempt.kind === "more") break;
      if (attempt.kind === "ok") {
        records.push({ fields: attempt.fields });
        start = attempt.next;
        continue;
      }
      // Resume after the physical line holding the error; at end of input that line may be the last.
      const newline = buf.indexOf("\n", attempt.at);
      if (newline === -1 && !eof) break;
      records.push({ error: attempt.error });
      start = newline === -1 ? buf.length : newline + 1;
    }
    this.buffer = buf.slice(start);
    return records;
  }

  private parseRecord(buf: string, start: number, eof: boolean): Attempt {
    const delim = this.delimiter;
    const delimCode = delim.charCodeAt(0);
    const fields: string[] = [];
    let pos = start;
    let lineEnd = -1;
    for (;;) {
      if (buf[pos] === '"') {
        const opening = pos;
        let value = "";
        pos += 1;
        for (;;) {
          const quote = buf.indexOf('"', pos);
          if (quote === -1) {
            return eof ? { kind: "bad", error: "unclosed quote", at: opening } : { kind: "more" };
          }
          value += buf.slice(pos, quote);
          if (buf[quote + 1] === '"') {
            value += '"';
            pos = quote + 2;
            continue;
          }
          pos = quote + 1;
          break;
        }
        // A closing quote must end the field; the next char decides, so wait for it.
        if (pos >= buf.length && !eof) return { kind: "more" };
        fields.push(value);
        const after = buf[pos];
        if (after === delim) {
          pos += 1;
          continue;
        }
        if (after === undefined) return { kind: "ok", fields, next: pos };
        if (after === "\n") return { kind: "ok", fields, next: pos + 1 };
        if (after === "\r" && buf[pos + 1] === "\n") return { kind: "ok", fields, next: pos + 2 };
        if (after === "\r" && pos + 1 >= buf.length && !eof) return { kind: "more" };
        return { kind: "bad", error: `unexpected ${JSON.stringify(after)} after a closing quote`, at: pos };
      }
      // Found once per line (recomputed only after a quoted field that may span lines).
      if (lineEnd < pos) {
        lineEnd = buf.indexOf("\n", pos);
        if (lineEnd === -1) {
          if (!eof) return { kind: "more" };
          lineEnd = buf.length;
        }
      }
      let end = pos;
      while (end < lineEnd && buf.charCodeAt(end) !== delimCode) end += 1;
      if (end < lineEnd) {
        fields.push(buf.slice(pos, end));
        pos = end + 1;
        continue;
      }
      const contentEnd = lineEnd > pos && buf[lineEnd - 1] === "\r" ? lineEnd - 1 : lineEnd;
      fields.push(buf.slice(pos, contentEnd));
      return { kind: "ok", fields, next: Math.min(lineEnd + 1, buf.length) };
    }
  }
}
