import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIndex } from "../../src/vector-index/load-index.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { startTestServer, type TestServer } from "../helpers/http-server.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { SHARED_CACHE_DIR } from "../helpers/shared-cache.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { makeApp } from "../server/app-harness.js";
import { SPEC } from "../server/fixtures.js";

// Defect J4: SAS `sig=` values of image URLs reached records.jsonl, failures.jsonl, stderr and serve's
// HTTP responses. Every secret below is unique, so one grep over every output proves none leaked.

const SECRETS = ["CATSIGxq7Zk3Vb", "IMGSIGa9Jr2Lp0", "GONESIGb4Tt8Qm", "HTMLSIGc2Ww5Ns", "METASIGd6Yy1Rk"];
const stripped = (url: string) => url.replace(/\?.*$/, "");
const sas = (sig: string) => `sv=2022-11-02&ss=b&sp=r&se=2030-01-01T00%3A00%3A00Z&sig=${sig}%2Bslash%3D`;

let server: TestServer;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  server = await startTestServer();
  ({ dir, cleanup } = await makeTempDir("mosaic-sas-"));
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function expectNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${secret} leaked into ${where}`).toBe(false);
}

describe("SAS signatures never reach output, logs or the index", () => {
  it("featurize stores stripped URLs and redacts every stream and file", async () => {
    const u = server.url;
    const source = encodeURIComponent(`${u}/good.jpg?${sas(SECRETS[4]!)}`);
    const rows = [
      `a1,${u}/good.jpg?${sas(SECRETS[1]!)},${u}/page?source=${source}`,
      `a2,${u}/missing/a2.jpg?${sas(SECRETS[2]!)},x`,
      `a3,${u}/html?${sas(SECRETS[3]!)},y`,
    ];
    server.serve(`/cat.csv?${sas(SECRETS[0]!)}`, `id,image,page\n${rows.join("\n")}\n`, "text/csv");
    const out = path.join(dir, "index");
    const argv = ["featurize", "--catalog", `${u}/cat.csv?${sas(SECRETS[0]!)}`, "--out", out];
    const flags = [
      "--id-column",
      "id",
      "--image-column",
      "image",
      "--facet",
      "culture=page",
      "--cache-dir",
      SHARED_CACHE_DIR,
    ];
    const run = await runCliInProcess([...argv, ...flags], { cwd: dir });
    expect(run.stderr).toContain("Indexed 1 of 3");
    expectNoSecret(run.stdout, "stdout");
    expectNoSecret(run.stderr, "stderr");
    for (const file of await allFiles(out)) expectNoSecret(await readFile(file, "latin1"), file);

    const records = (await readFile(path.join(out, "records.jsonl"), "utf8")).trim().split("\n");
    const stored = JSON.parse(records[0]!) as { image: string };
    // The blob path and the non-secret query survive; only the credential is gone.
    expect(stored.image).toBe(`${u}/good.jpg`);

    const json = await runCliInProcess(["query", "--index", out, "--id", "a1", "--json"], { cwd: dir });
    expect(json.code).toBe(0);
    expectNoSecret(json.stdout + json.stderr, "query --json");

    const missing = `${u}/missing/q.jpg?${sas(SECRETS[2]!)}`;
    const query = await runCliInProcess(["query", "--index", out, missing, "--cache-dir", SHARED_CACHE_DIR], {
      cwd: dir,
    });
    expect(query.code).toBe(1);
    expectNoSecret(query.stdout + query.stderr, "query of a URL with a SAS");
  });

  it("serve never returns a signature, even from an index written before stripping", async () => {
    const old = path.join(dir, "old-index");
    const image = `https://acct.blob.core.windows.net/c/a1.jpg?${sas(SECRETS[1]!)}`;
    await writeIndex(old, {
      model: { id: "fake-model", dim: 8, preprocess: SPEC },
      facets: ["culture"],
      records: [{ id: "a1", image, facets: { culture: "Dutch" }, meta: { link: image } }],
      vectors: [Float32Array.from([1, 0, 0, 0, 0, 0, 0, 0])],
    });
    // Put the signature back on disk, as an index written before stripping holds it.
    const recordsFile = path.join(old, "records.jsonl");
    const raw = (await readFile(recordsFile, "utf8")).replace(stripped(image), image);
    expect(raw).toContain(SECRETS[1]);
    await writeFile(recordsFile, raw);
    const manifestFile = path.join(old, "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as {
      files: Record<string, { bytes: number; sha256: string }>;
    };
    manifest.files["records.jsonl"] = {
      bytes: Buffer.byteLength(raw),
      sha256: createHash("sha256").update(raw).digest("hex"),
    };
    await writeFile(manifestFile, JSON.stringify(manifest));
    const h = await makeApp(await loadIndex(old), {});
    const res = await h.app.inject({ method: "GET", url: "/v1/artworks/a1" });
    expect(res.statusCode).toBe(200);
    expectNoSecret(res.body, "GET /v1/artworks/a1");
    expect(res.body).toContain("acct.blob.core.windows.net/c/a1.jpg");
    const post = await h.app.inject({ method: "POST", url: "/v1/search", payload: { id: "a1" } });
    expect(post.statusCode).toBe(200);
    expectNoSecret(post.body, "POST /v1/search");
    const fetchFails = await h.app.inject({ method: "POST", url: "/v1/search", payload: { url: image } });
    expect(fetchFails.statusCode).toBeGreaterThanOrEqual(400);
    expectNoSecret(fetchFails.body, "a failed fetch's error body");
    await h.app.close();
  });
});
