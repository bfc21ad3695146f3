import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, launchChromium } from "../helpers/chromium.js";
import { assertBuilt, type RunningServe, runMosaic, startServe } from "../helpers/mosaic-bin.js";
import { SHARED_CACHE_DIR } from "../helpers/shared-cache.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const chromium = findChromium();
const KEY = "browser-test-key";

/** Every <img> in the grid has decoded real pixels (a broken or blocked image has naturalWidth 0). */
async function gridImagesLoaded(page: Page): Promise<number[]> {
  await page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>("#grid img")];
    return imgs.length > 0 && imgs.every((img) => img.complete && !img.classList.contains("loading"));
  });
  return page.$$eval("#grid img", (imgs) => (imgs as HTMLImageElement[]).map((img) => img.naturalWidth));
}

const gridIds = (page: Page) =>
  page.$$eval("#grid .card", (cards) => cards.map((c) => c.getAttribute("data-id")));

describe.skipIf("skip" in chromium)("the web UI at /ui in headless Chromium", () => {
  let dir = "";
  let cleanup: () => Promise<void> = async () => {};
  let serve: RunningServe | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    ({ dir, cleanup } = await makeTempDir("mosaic-ui-"));
    const env = { MOSAIC_CACHE_DIR: SHARED_CACHE_DIR };
    const featurized = await runMosaic(["featurize"], dir, env);
    if (featurized.code !== 0) throw new Error(`featurize failed:\n${featurized.stderr}`);
    serve = await startServe([], dir, { ...env, MOSAIC_API_KEY: KEY });
    browser = await launchChromium((chromium as { path: string }).path);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // CSP violations and script errors show up here: the page must produce none.
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().includes("401")) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await cleanup();
  });

  it("asks for the API key once, keeps it for the tab, and browses the collection with thumbnails", async () => {
    await page.goto(`${serve!.url}/ui`);
    const dialog = page.locator("#key-dialog");
    await dialog.waitFor({ state: "visible" });
    await page.fill("#key-input", "wrong-key");
    await page.press("#key-input", "Enter");
    await expect.poll(() => page.textContent("#key-why")).toContain("refused");
    await page.fill("#key-input", KEY);
    await page.press("#key-input", "Enter");
    await page.locator(".chip").first().waitFor();
    expect(await page.textContent("#index-info")).toContain("120 artworks");
    expect(await page.evaluate(() => sessionStorage.getItem("mosaic.apiKey"))).toBe(KEY);
    const widths = await gridImagesLoaded(page);
    expect(widths).toHaveLength(24);
    for (const w of widths) expect(w).toBeGreaterThan(0);
    // Facet chips carry the index's counts.
    expect(await page.textContent('.chip[data-value="Japanese"] .count')).toBe("20");

    await page.reload();
    await page.locator(".chip").first().waitFor();
    expect(await dialog.isVisible()).toBe(false);
  });

  it("filters by a chip (keyboard), clicks an artwork for more like it, then clicks a result", async () => {
    const chip = page.locator('.chip[data-value="Japanese"]');
    await chip.focus();
    await page.keyboard.press("Enter");
    expect(await chip.getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => page.textContent("#status")).toContain("of 20 matching");
    await gridImagesLoaded(page);
    const browsed = await gridIds(page);
    expect(browsed.every((id) => id?.startsWith("sample-japanese-"))).toBe(true);

    await page.click(`.card[data-id="${browsed[0]}"] .pick`);
    await expect.poll(() => page.textContent("#status")).toContain("most similar of 19 matching");
    expect(page.url()).toContain(`#more-like=${browsed[0]}`);
    const first = await gridIds(page);
    expect(first).not.toContain(browsed[0]);
    expect(first.every((id) => id?.startsWith("sample-japanese-"))).toBe(true);
    for (const w of await gridImagesLoaded(page)) expect(w).toBeGreaterThan(0);
    const scores = await page.$$eval("#grid .score", (s) => s.map((e) => Number(e.textContent)));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const clicked = first[0]!;
    const title = await page.textContent(`.card[data-id="${clicked}"] .title`);
    await page.click(`.card[data-id="${clicked}"] .pick`);
    await expect.poll(() => page.textContent("#query .title")).toBe(title);
    await expect.poll(() => gridIds(page)).not.toEqual(first);
    const second = await gridIds(page);
    expect(second).not.toContain(clicked);
    for (const w of await gridImagesLoaded(page)) expect(w).toBeGreaterThan(0);

    await page.goBack();
    await expect.poll(() => page.url()).toContain(`#more-like=${browsed[0]}`);
    await expect.poll(() => gridIds(page)).toEqual(first);
  });

  it("uploads an image: the artwork it shows comes first, within the filter", async () => {
    const catalog = await readFile(path.join(SHARED_CACHE_DIR, "sample-v1/catalog.tsv"), "utf8");
    const file = path.join(SHARED_CACHE_DIR, "sample-v1/images/sample-japanese-print-3.jpg");
    expect(catalog).toContain("sample-japanese-print-3");
    await page.setInputFiles("#file-input", file);
    await expect.poll(() => page.textContent("#query")).toContain("sample-japanese-print-3.jpg");
    await expect.poll(async () => (await gridIds(page))[0]).toBe("sample-japanese-print-3");
    // The default model blends indexed vectors with their neighbours (DBA), so the image itself scores
    // below 1.0, still above the next artwork.
    const scores = await page.$$eval("#grid .card .score", (els) => els.map((e) => Number(e.textContent)));
    expect(scores[0]!).toBeGreaterThan(scores[1]!);
    for (const w of await gridImagesLoaded(page)) expect(w).toBeGreaterThan(0);
  });

  it("opens a detail panel, closes it with Escape and returns focus; screenshots the page", async () => {
    const details = page.locator("#grid .card .details").nth(1);
    await details.click();
    await page.locator("#detail").waitFor({ state: "visible" });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("detail-title");
    await page.waitForFunction(
      () => (document.querySelector<HTMLImageElement>("#detail img")?.naturalWidth ?? 0) > 0,
    );
    expect(await page.textContent("#detail dl")).toContain("Japanese");
    const shot = path.join(dir, "ui.png");
    await page.screenshot({ path: shot, fullPage: false });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
    await page.keyboard.press("Escape");
    expect(await page.locator("#detail").isVisible()).toBe(false);
    expect(await details.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(problems).toEqual([]);
  });

  it("keeps every card's picture square and long facet values inside the card", async () => {
    // The synthetic sample is all square images with short facets; aic-sample showed portrait prints
    // stretching their card and long department names running off it. Give one card both.
    const layout = await page.evaluate(async () => {
      const card = document.querySelector<HTMLElement>("#grid .card")!;
      const canvas = document.createElement("canvas");
      canvas.width = 100;
      canvas.height = 300;
      const img = card.querySelector<HTMLImageElement>(".thumb img")!;
      img.src = canvas.toDataURL("image/png");
      await img.decode();
      card.querySelector(".tag")!.textContent = "Arts of the Ancient Mediterranean and Byzantium".repeat(2);
      const box = (el: Element) => el.getBoundingClientRect();
      const thumbs = [...document.querySelectorAll("#grid .thumb")].map(box);
      return {
        squares: thumbs.map((t) => Math.round(t.height - t.width)),
        card: box(card).right,
        tag: box(card.querySelector(".tag")!).right,
      };
    });
    expect(new Set(layout.squares)).toEqual(new Set([0]));
    expect(layout.tag).toBeLessThanOrEqual(layout.card);
  });
});
