/**
 * One logical record of a delimited file: its fields, or why it could not be split. `line` is the
 * 1-based physical line it starts on; `lines` how many physical lines it covers.
 */
export type RawRecord = { line: number; lines: number } & ({ fields: string[] } | { error: string });

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
 * its own physical line: a quoted field may span lines only when the data proves it (the quote closes
 * cleanly and the record then has exactly the header's column count, and the first line on its own was
 * not already a complete record). Otherwise the first line alone is reported and parsing resumes on the
 * next physical line, so an unbalanced quote can never swallow or renumber the rows after it.
 */
export class DelimitedTokenizer {
  private buffer = "";
  /** Physical line number of buffer[0]. */
  private line = 1;
  /** Column count of the first record (the header); multi-line records must match it. */
  private expected: number | undefined;

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
    let line = this.line;
    const advance = (to: number): number => {
      let lines = 0;
      for (let i = buf.indexOf("\n", start); i !== -1 && i < to; i = buf.indexOf("\n", i + 1)) lines += 1;
      start = to;
      line += lines;
      return lines;
    };
    while (start < buf.length) {
      // Blank lines separate nothing; skip them like csv-parse's skip_empty_lines.
      if (buf[start] === "\n") {
        advance(start + 1);
        continue;
      }
      if (buf[start] === "\r" && buf[start + 1] === "\n") {
        advance(start + 2);
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
      const first = line;
      if (attempt.kind === "ok") {
        this.expected ??= attempt.fields.length;
        const covered = advance(attempt.next);
        const ended = attempt.next > 0 && buf[attempt.next - 1] === "\n";
        records.push({ line: first, lines: Math.max(1, covered + (ended ? 0 : 1)), fields: attempt.fields });
        continue;
      }
      // Resume after the physical line holding the error; at end of input that line may be the last.
      const newline = buf.indexOf("\n", attempt.at);
      if (newline === -1 && !eof) break;
      advance(newline === -1 ? buf.length : newline + 1);
      records.push({ line: first, lines: 1, error: attempt.error });
    }
    this.buffer = buf.slice(start);
    this.line = line;
    return records;
  }

  /** Whether some physical line of buf[start, end) has exactly the header's column count on its own. */
  private anyLineLooksWhole(buf: string, start: number, end: number, expected: number): boolean {
    let count = 1;
    for (let i = start; i < end; i += 1) {
      const c = buf[i];
      if (c === this.delimiter) count += 1;
      else if (c === "\n") {
        if (count === expected) return true;
        count = 1;
      }
    }
    return count === expected;
  }

  private parseRecord(buf: string, start: number, eof: boolean): Attempt {
    const attempt = this.parseSpanning(buf, start, eof);
    if (attempt.kind === "more") return attempt;
    const firstNewline = buf.indexOf("\n", start);
    const last = attempt.kind === "ok" ? attempt.next - 1 : attempt.at;
    if (firstNewline === -1 || last <= firstNewline) return attempt;
    // The record crossed a line break inside quotes. Accept that only when the data proves a multi-line
    // field: the quote closed cleanly, the record has the header's column count, and no line of it
    // would be a whole row on its own (which is what an unbalanced quote swallowing rows looks like).
    const unclosed: Attempt = {
      kind: "bad",
      error: "unclosed quote (a quoted field does not close on its line)",
      at: start,
    };
    if (attempt.kind === "bad") return unclosed;
    const expected = this.expected;
    if (expected === undefined) return attempt;
    if (attempt.fields.length !== expected) return unclosed;
    const end = buf[attempt.next - 1] === "\n" ? attempt.next - 1 : attempt.next;
    if (this.anyLineLooksWhole(buf, start, end, expected)) return unclosed;
    return attempt;
  }

  private parseSpanning(buf: string, start: number, eof: boolean): Attempt {
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
