import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { convertLayersToOnnx } from "../../src/model/convert-layers.js";
import { embeddedModelsDir, readEmbeddedManifest } from "../../src/model/embedded-models.js";
import { ensureOnnx } from "../../src/model/ensure-onnx.js";
import { loadNsfwjsModel } from "../../src/model/load-nsfwjs-model.js";
import { verifyParity } from "../../src/model/parity.js";
import { MODEL_PRESETS, resolveModel } from "../../src/model/presets.js";

// The files dist/models ships are made by `npm run build` (scripts/build-models.mjs), which the test
// script runs first: every preset with bundled weights must be there, current, and agree with TF.js.
const bundled = Object.keys(MODEL_PRESETS).filter((n) => MODEL_PRESETS[n]!.source?.kind === "nsfwjs");
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("models shipped in the package (dist/models)", () => {
  const dir = embeddedModelsDir()!;

  it("holds one current file per preset with bundled weights, as recorded in its manifest", async () => {
    const manifest = readEmbeddedManifest(dir);
    expect(manifest, `${dir}/manifest.json missing: run npm run build`).toBeDefined();
    expect(manifest!.models.map((m) => m.preset).sort()).toEqual([...bundled].sort());
    for (const entry of manifest!.models) {
      expect(entry.id).toBe(resolveModel(entry.preset).id);
      const bytes = await readFile(path.join(dir, entry.file));
      expect(bytes.byteLength).toBe(entry.bytes);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(entry.sha256);
      expect(entry.parity.minCosine).toBeGreaterThanOrEqual(0.9999);
    }
    expect((await readdir(dir)).filter((f) => f.endsWith(".onnx")).sort()).toEqual(
      manifest!.models.map((m) => m.file).sort(),
    );
  });

  // InceptionV3's TF.js check (25 s on one core) runs on the same bytes in nsfwjs-parity.test.ts.
  it.each(bundled)("%s: the shipped file is today's conversion and agrees with TF.js", async (name) => {
    const plan = resolveModel(name);
    if (plan.source.kind !== "nsfwjs") throw new Error(`${name} has no bundled weights`);
    const entry = readEmbeddedManifest(dir)!.models.find((m) => m.preset === name)!;
    const a = loadNsfwjsModel(plan.source.model);
    const fresh = convertLayersToOnnx(a, {
      cutAt: plan.cutAt,
      pooling: plan.pooling,
      features: plan.features,
      spec: plan.spec,
    });
    // The converter is deterministic: a stale build (changed preset, converter or weights) shows here.
    expect(createHash("sha256").update(fresh.onnx).digest("hex")).toBe(entry.sha256);
    if (plan.source.model === "inception_v3") return;
    const onnx = new Uint8Array(await readFile(path.join(dir, entry.file)));
    const parity = await verifyParity(a, onnx, fresh.cutAt, plan.features ?? plan.pooling, plan.spec);
    expect(parity.minCosine).toBeGreaterThanOrEqual(0.9999);
  });

  it("first use opens the shipped file: no conversion, nothing written to the cache", async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), "mosaic-shipped-"));
    dirs.push(cacheDir);
    for (const name of bundled) {
      const got = await ensureOnnx(resolveModel(name), {
        cacheDir,
        onEvent: () => {
          throw new Error("no conversion expected");
        },
      });
      expect(got).toMatchObject({ converted: false, embedded: true });
      expect(path.dirname(got.onnxPath)).toBe(dir);
    }
    expect(existsSync(path.join(cacheDir, "models"))).toBe(false);
  });
});
