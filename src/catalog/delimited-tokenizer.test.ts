import { describe, expect, it } from "vitest";
import { DelimitedTokenizer, type RawRecord } from "./delimited-tokenizer.js";

/** Feeds text in chunks of `size` characters to prove records survive any split point. */
function tokenize(text: string, size = text.length, delimiter = ",", max?: number): RawRecord[] {
  const tokenizer = new DelimitedTokenizer(delimiter, max);
  const out: RawRecord[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...tokenizer.push(text.slice(i, i + size)));
  out.push(...tokenizer.end());
  return out;
}

describe("DelimitedTokenizer", () => {
  const text = 'a,b,c\r\n1,"x, ""y""",z\n\n2,"multi\nline",\n3,plain "quote" kept,w';
  const expected: RawRecord[] = [
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
});
