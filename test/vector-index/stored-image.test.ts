import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mergeIndexes } from "../../src/vector-index/merge-indexes.js";
import { readManifest } from "../../src/vector-index/read-manifest.js";
import { imageDirOf, resolveStoredImage, storedImageRef } from "../../src/vector-index/stored-image.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { model, tempDir } from "./helpers.js";

describe("stored image references (the catalog's own, never this machine's absolute path)", () => {
  it.each([
    ["/data/cat/images/a.jpg", "/data/cat", "images/a.jpg"],
    ["/data/other/a.jpg", "/data/cat", "../other/a.jpg"],
    ["https://x.org/a.jpg", "/data/cat", "https://x.org/a.jpg"],
    ["/data/cat/a.jpg", undefined, "/data/cat/a.jpg"],
  ])("%s under %s → %s", (image, root, stored) => {
    expect(storedImageRef(image, root)).toBe(stored);
    expect(resolveStoredImage(stored, root)).toBe(image);
  });

  it("merging parts re-bases relative paths onto the merged index's root", async () => {
    const tmp = await tempDir();
    try {
      const catalogDir = path.join(tmp.root, "catalog");
      const part = async (name: string, id: string, root: string) =>
        writeIndex(path.join(tmp.root, name), {
          model: model(2),
          facets: [],
          imageRoot: path.relative(path.join(tmp.root, name), root),
          records: [{ id, image: `images/${id}.jpg`, facets: {}, meta: {} }],
          vectors: [Float32Array.from([1, 0])],
        });
      await part("p0", "a", catalogDir);
      await part("p1", "b", path.join(tmp.root, "elsewhere"));
      const out = path.join(tmp.root, "merged");
      await mergeIndexes([path.join(tmp.root, "p0"), path.join(tmp.root, "p1")], out);
      const manifest = await readManifest(out);
      expect(manifest.imageRoot).toBe("../catalog");
      expect(imageDirOf(out, manifest)).toBe(catalogDir);
      const images = (await readFile(path.join(out, "records.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { image: string }).image);
      expect(images).toEqual(["images/a.jpg", "../elsewhere/images/b.jpg"]);
    } finally {
      await tmp.cleanup();
    }
  });
});
