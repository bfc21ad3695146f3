import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Artwork, CatalogIssue } from "../../src/catalog/artwork.js";
import { readCatalog } from "../../src/catalog/read-catalog.js";
import { prng } from "../../src/prng.js";
import { collect } from "../helpers/collect.js";
import { makeTempDir } from "../helpers/temp-dir.js";

// Defect J1: an unbalanced quote paired with a later quoted field and swallowed every row in between.
// The property: for random catalogs with random damage, every physical data line is indexed or reported
// with its line number, clean rows are never lost or renumbered, and rows read = indexed + reported.

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await makeTempDir("mosaic-catalog-damage-")));
afterAll(() => cleanup());

const HEADER = "id,title,department,image";
const WORDS = ["Portrait", "Sun", "moon", "with", "comma", "Wave", "say", "o'clock", "日本", "Vase"];

interface Generated {
  text: string;
  /** Start line of every clean row, by id. */
  clean: Map<string, number>;
  /** Physical lines of damaged rows. */
  damaged: Set<number>;
}

const quote = (value: string): string => `"${value.replaceAll('"', '""')}"`;

/** One catalog of 1..40 rows; about a third are damaged in one of several ways. */
function generate(seed: number): Generated {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const eol = random() < 0.3 ? "\r\n" : "\n";
  const lines: string[] = [HEADER];
  const clean = new Map<string, number>();
  const damaged = new Set<number>();
  const rows = 1 + Math.floor(random() * 40);
  for (let i = 0; i < rows; i += 1) {
    if (random() < 0.1) lines.push(""); // blank lines are not rows
    const id = `r${i}`;
    const words = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(WORDS));
    // Titles never start with a delimiter or a quote (so a stray quote cannot close cleanly on them).
    let title = words.join(random() < 0.3 ? ", " : " ");
    if (random() < 0.15) title = `${title} say ""hi""`.replaceAll('""', '"');
    const multiLine = random() < 0.1;
    if (multiLine) title = `${words.join(" ")}\nsecond line`;
    const titleCell = multiLine || title.includes(",") || title.includes('"') ? quote(title) : title;
    const fields = [id, titleCell, pick(["Prints", "Textiles", "Asian Art"]), `img/${id}.jpg`];
    // Physical line of this row: a multi-line cell above counts twice.
    const line = lines.reduce((n, l) => n + l.split("\n").length, 0) + 1;
    if (multiLine || random() >= 0.35) {
      lines.push(fields.join(","));
      clean.set(id, line);
      continue;
    }
    const damage = pick([
      "open-quote",
      "lost-close",
      "drop-delim",
      "extra",
      "truncate",
      "after-quote",
      "no-id",
    ]);
    let text: string;
    if (damage === "open-quote") text = [id, `"${words.join(" ")}`, fields[2], fields[3]].join(",");
    else if (damage === "lost-close")
      text = [id, quote(`${title}, x`).slice(0, -1), fields[2], fields[3]].join(",");
    else if (damage === "drop-delim") text = `${fields.slice(0, 3).join(",")}${fields[3]}`;
    else if (damage === "extra") text = [...fields, "extra"].join(",");
    else if (damage === "after-quote") text = [id, `${quote(title)}x`, fields[2], fields[3]].join(",");
    else if (damage === "no-id") text = ["", ...fields.slice(1)].join(",");
    else {
      // Cut before the last delimiter, so the row is always short of a column (or inside its quote).
      const full = fields.join(",");
      text = full.slice(0, 1 + Math.floor(random() * (full.lastIndexOf(",") - 1)));
    }
    lines.push(text);
    damaged.add(line);
  }
  return { text: `${lines.join(eol)}${random() < 0.5 ? eol : ""}`, clean, damaged };
}

async function read(text: string, name: string): Promise<{ artworks: Artwork[]; issues: CatalogIssue[] }> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  const entries = await collect(readCatalog(file, { idColumn: "id", imageColumns: ["image"], facets: {} }));
  return {
    artworks: entries.flatMap((e) => (e.kind === "artwork" ? [e.artwork] : [])),
    issues: entries.flatMap((e) => (e.kind === "issue" ? [e.issue] : [])),
  };
}

describe("damaged CSV catalogs lose no row", () => {
  it("the issue's reproduction: q3…q8 are indexed and only q2 is reported, on its own line", async () => {
    const lines = [HEADER, "q1,ok,d,a.jpg", 'q2,"broken title,d,a.jpg'];
    for (let i = 3; i <= 8; i += 1) lines.push(`q${i},ok,d,a.jpg`);
    lines.push('q9,"Portrait, with comma",d,a.jpg', "q10,ok,d,a.jpg");
    const { artworks, issues } = await read(`${lines.join("\n")}\n`, "repro.csv");
    expect(artworks.map((a) => a.id)).toEqual(["q1", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10"]);
    expect(artworks.find((a) => a.id === "q9")?.meta.title).toBe("Portrait, with comma");
    expect(issues).toEqual([expect.objectContaining({ row: 2, line: 3, reason: "malformed_row" })]);
    expect(artworks.map((a) => a.line)).toEqual([2, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("property: rows in = indexed + reported, over 300 random damaged catalogs", async () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const generated = generate(seed);
      const { artworks, issues } = await read(generated.text, `random-${seed}.csv`);
      const context = `seed ${seed}:\n${generated.text}`;
      // Every clean row is indexed, at its own line.
      const indexed = new Map(artworks.map((a) => [a.id, a.line]));
      for (const [id, line] of generated.clean) expect(indexed.get(id), context).toBe(line);
      // Every damaged line is reported with its line number, and nothing else is.
      expect(new Set(issues.map((i) => i.line)), context).toEqual(generated.damaged);
      expect(issues.length, context).toBe(generated.damaged.size);
      // rows read (data records) = indexed + reported.
      expect(artworks.length + issues.length, context).toBe(generated.clean.size + generated.damaged.size);
      const rowNumbers = [...artworks, ...issues].map((r) => r.row).sort((a, b) => a - b);
      expect(rowNumbers, context).toEqual(rowNumbers.map((_, i) => i + 1));
    }
  });
});
