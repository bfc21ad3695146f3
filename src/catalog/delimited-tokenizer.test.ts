import { describe, expect, it } from "vitest";
import { DelimitedTokenizer, type RawRecord } from "./delimited-tokenizer.js";

/** Feeds text in chunks of `size` characters to prove records survive any split point. */
function tokenizeLines(text: string, size = text.length, delimiter = ",", max?: number): RawRecord[] {
  const tokenizer = new DelimitedTokenizer(delimiter, max);
  const out: RawRecord[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...tokenizer.push(text.slice(i, i + size)));
  out.push(...tokenizer.end());
  return out;
}

type Bare = { fields: string[] } | { error: string };

/** The records without their line numbers. */
function tokenize(text: string, size = text.length, delimiter = ",", max?: number): Bare[] {
  return tokenizeLines(text, size, delimiter, max).map(({ line: _line, lines: _lines, ...rest }) => rest);
}

describe("DelimitedTokenizer", () => {
  const text = 'a,b,c\r\n1,"x, ""y""",z\n\n2,"multi\nline",\n3,plain "quote" kept,w';
  const expected: Bare[] = [
    { fields: ["a", "b", "c"] },
    { fields: ["1", 'x, "y"', "z"] },
    { fields: ["2", "multi\nline", ""] },
    { fields: ["3", 'plain "quote" kept', "w"] },
  ];

  it("splits quoted, escaped, multi-line and CRLF records", () => {
    expect(tokenize(text)).toEqual(expected);
  });

  it("gives the same records for every chunk size", () => {
    for (const size of [1, 2, 3, 5, 7, 13]) expect(tokenize(text, size)).toEqual(expected);
  });

  it("reports a bad closing quote and resumes on the next line", () => {
    const records = tokenize('1,"x"q,y\n2,ok,z\n', 4);
    expect(records).toEqual([
      { error: expect.stringContaining("closing quote") },
      { fields: ["2", "ok", "z"] },
    ]);
  });

  it("cuts an unclosed quote at end of input and re-reads the lines after it", () => {
    expect(tokenize('1,"open,y\n2,a,b\n3,c,d\n')).toEqual([
      { error: "unclosed quote" },
      { fields: ["2", "a", "b"] },
      { fields: ["3", "c", "d"] },
    ]);
  });

  it("cuts an unclosed quote after maxRecordChars while streaming", () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},a,b`).join("\n");
    const records = tokenize(`x,"open,y\n${rows}\n`, 16, ",", 64);
    expect(records[0]).toEqual({ error: expect.stringContaining("longer than 64") });
    expect(records.slice(1)).toHaveLength(50);
  });

  it("splits on tabs for TSV", () => {
    expect(tokenize("a\tb\n1\t2,3\n", 3, "\t")).toEqual([{ fields: ["a", "b"] }, { fields: ["1", "2,3"] }]);
  });

  it("numbers records by the physical line they start on", () => {
    const records = tokenizeLines(text, 3);
    expect(records.map((r) => [r.line, r.lines])).toEqual([
      [1, 1],
      [2, 1],
      [4, 2],
      [6, 1],
    ]);
  });

  it("keeps an unbalanced quote to its own line instead of pairing it with a later quote", () => {
    const lines = ["id,title,department,image", "q1,a,d,i", 'q2,"broken title,d,i'];
    for (let i = 3; i <= 8; i += 1) lines.push(`q${i},t,d,i`);
    lines.push('q9,"Portrait, with comma",d,i', "q10,t,d,i");
    for (const size of [1, 7, 1000]) {
      const records = tokenizeLines(`${lines.join("\n")}\n`, size);
      expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(records[2]).toMatchObject({ error: expect.stringContaining("unclosed quote") });
      expect(records.filter((r) => "error" in r)).toHaveLength(1);
    }
  });

  it("still reads a multi-line field the data proves", () => {
    const records = tokenize('id,title,d,i\n5,"A long, wordy\ndescription",d,i\n6,t,d,i\n');
    expect(records).toEqual([
      { fields: ["id", "title", "d", "i"] },
      { fields: ["5", "A long, wordy\ndescription", "d", "i"] },
      { fields: ["6", "t", "d", "i"] },
    ]);
  });
});
