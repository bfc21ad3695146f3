import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, launchChromium } from "../helpers/chromium.js";
import { assertBuilt, runMosaic } from "../helpers/mosaic-bin.js";
import { SHARED_CACHE_DIR } from "../helpers/shared-cache.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const chromium = findChromium();

/** Catalog text that must stay text: each would set window.__pwned if it ran. */
const EVIL_TITLE = `<script>window.__pwned = 1</script>Evil "title"`;
const EVIL_ARTIST = `"><img src=x onerror="window.__pwned = 2">`;
const EVIL_CULTURE = `<b onmouseover="window.__pwned = 3">Evil</b>`;

const csv = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(",");

/** Eight small pictures in two looks (warm stripes, cool dots), one portrait, one with a # and a space. */
async function writeCollection(dir: string): Promise<void> {
  await mkdir(path.join(dir, "images"), { recursive: true });
  const rows = [csv(["id", "title", "artist", "culture", "image"])];
  for (let i = 0; i < 8; i++) {
    const warm = i % 2 === 0;
    const [w, h] = i === 2 ? [120, 300] : [240, 180];
    const shapes = Array.from({ length: 6 }, (_, j) =>
      warm
        ? `<rect x="0" y="${j * 32 + i * 3}" width="${w}" height="14" fill="#${(200 - i * 9).toString(16)}4010"/>`
        : `<circle cx="${30 + j * 35}" cy="${40 + i * 9}" r="${12 + j}" fill="#1040${(160 + i * 9).toString(16)}"/>`,
    ).join("");
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="${warm ? "#f3e2c0" : "#d8e4f0"}"/>${shapes}</svg>`;
    const name = i === 3 ? "a b#3.jpg" : `w${i}.jpg`;
    await sharp(Buffer.from(svg))
      .jpeg()
      .toFile(path.join(dir, "images", name));
    const evil = i === 1;
    rows.push(
      csv([
        `w${i}`,
        evil ? EVIL_TITLE : `Work ${i}`,
        evil ? EVIL_ARTIST : `Artist ${i}`,
        evil ? EVIL_CULTURE : warm ? "Warm" : "Cool",
        `images/${name}`,
      ]),
    );
  }
  await writeFile(path.join(dir, "catalog.csv"), `${rows.join("\n")}\n`);
}

describe.skipIf("skip" in chromium)("HTML reports in headless Chromium", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  let browser: Browser | undefined;
  const env = { MOSAIC_CACHE_DIR: SHARED_CACHE_DIR };

  beforeAll(async () => {
    assertBuilt();
    ({ dir, cleanup } = await makeTempDir("mosaic-report-"));
    await writeCollection(dir);
    await mkdir(path.join(dir, "out"));
    const featurized = await runMosaic(
      ["featurize", "--catalog", "catalog.csv", "--out", "idx", "--id-column", "id"].concat([
        "--image-column",
        "image",
        "--facet",
        "culture=culture",
      ]),
      dir,
      env,
    );
    if (featurized.code !== 0) throw new Error(`featurize failed:\n${featurized.stderr}`);
    browser = await launchChromium((chromium as { path: string }).path);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await cleanup();
  });

  /** Opens a report file: every picture decoded, nothing requested over a network, no script ran. */
  async function open(file: string, shot: string) {
    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("dialog", (d) => problems.push(`dialog: ${d.message()}`));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => [...document.images].every((img) => img.complete));
    const widths = await page.$$eval("img", (imgs) =>
      (imgs as HTMLImageElement[]).map((i) => i.naturalWidth),
    );
    // Hover everything: an injected onmouseover would fire now.
    for (const tag of await page.$$(".tag, .nb, .label")) await tag.hover().catch(() => {});
    const pwned = await page.evaluate(() => (window as { __pwned?: number }).__pwned);
    await page.screenshot({ path: path.join(dir, shot), fullPage: true });
    const text = await page.textContent("body");
    await page.close();
    return { widths, problems, pwned, text: text ?? "", requests };
  }

  it("query --html (embedded thumbnails): the query and its results, with pictures, text kept as text", async () => {
    const run = await runMosaic(
      ["query", "--index", "idx", "--id", "w1", "-n", "4", "--html", "out/q.html"],
      dir,
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("images embedded");
    const page = await open(path.join(dir, "out/q.html"), "query-embed.png");
    expect(page.widths).toHaveLength(5); // query + 4 results
    for (const w of page.widths) expect(w).toBeGreaterThan(0);
    expect(page.pwned).toBeUndefined();
    expect(page.problems).toEqual([]);
    expect(page.text).toContain(EVIL_TITLE);
    expect(page.text).toContain(EVIL_ARTIST);
    expect(page.requests.every((u) => u.startsWith("file:") || u.startsWith("data:"))).toBe(true);
  });

  it("query --html --html-images link, filtered: pictures linked by relative path still load", async () => {
    const run = await runMosaic(
      // From another directory: records hold image paths relative to the catalog, not to where mosaic runs.
      ["query", "--index", "../idx", "--id", "w0", "--culture", "Cool", "--html", "sub/q-link.html"].concat([
        "--html-images",
        "link",
      ]),
      path.join(dir, "out"),
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const page = await open(path.join(dir, "out/sub/q-link.html"), "query-link.png");
    expect(page.widths).toHaveLength(4); // query + the 3 Cool works (w3, w5, w7)
    for (const w of page.widths) expect(w).toBeGreaterThan(0);
    expect(page.requests.some((u) => u.endsWith("/images/a%20b%233.jpg"))).toBe(true);
    expect(page.text).toContain("culture = Cool");
    expect(page.problems).toEqual([]);
  });

  it("query <image> --html: an image query shows that image first", async () => {
    const run = await runMosaic(
      ["query", "--index", "idx", "images/w2.jpg", "-n", "3", "--html", "out/q-image.html"],
      dir,
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const page = await open(path.join(dir, "out/q-image.html"), "query-image.png");
    expect(page.widths).toHaveLength(4);
    for (const w of page.widths) expect(w).toBeGreaterThan(0);
    expect(page.text).toContain("w2.jpg");
  });

  it("eval --html: per-label bars and example rows with pictures, hostile labels inert", async () => {
    const run = await runMosaic(
      ["eval", "--index", "../idx", "--label", "culture", "-k", "2", "--html", "eval.html"],
      path.join(dir, "out"),
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const page = await open(path.join(dir, "out/eval.html"), "eval.png");
    expect(page.widths.length).toBeGreaterThanOrEqual(6); // 3 labels × (query + 2 neighbours)
    for (const w of page.widths) expect(w).toBeGreaterThan(0);
    expect(page.pwned).toBeUndefined();
    expect(page.problems).toEqual([]);
    expect(page.text).toContain(EVIL_CULTURE);
    expect(page.text).toMatch(/precision@2 for “culture”/);
  });
});
