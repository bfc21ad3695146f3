import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureBlobStore } from "../../src/infra/azure-blob-store.js";
import { createBlobAccess } from "../../src/wiring/blob-access.js";
import { pullIndex } from "../../src/blob/pull-index.js";
import { pushIndex } from "../../src/blob/push-index.js";
import { AbortedError, MosaicError } from "../../src/errors.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { DEV_ACCOUNT, DEV_KEY, withAzurite } from "./azurite.js";

const azurite = withAzurite();
const CONTAINER = "indexes";
const preprocess = {
  height: 8,
  width: 8,
  resize: "squash",
  channelOrder: "rgb",
  mean: [0, 0, 0],
  std: [1, 1, 1],
  layout: "nchw",
} as const;

/** A small index whose vectors file spans several 1 KiB blocks. */
async function buildIndex(dir: string, seed: number, createdAt: string): Promise<void> {
  const dim = 16;
  const count = 60;
  const records = Array.from({ length: count }, (_, i) => ({
    id: `a-${seed}-${i}`,
    image: `images/${i}.jpg`,
    facets: { culture: i % 2 === 0 ? "Dutch" : "French" },
    meta: { title: `Work ${i}` },
  }));
  const vectors = Array.from({ length: count }, (_, i) =>
    Array.from({ length: dim }, (_, j) => Math.sin(seed * 13 + i * 7 + j)),
  );
  await writeIndex(dir, {
    model: { id: "test-model", dim, preprocess: { ...preprocess, mean: [0, 0, 0], std: [1, 1, 1] } },
    facets: ["culture"],
    records,
    vectors,
    now: () => new Date(createdAt),
  });
}

describe("index push / pull against Azurite", () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let env: Record<string, string>;
  let service: BlobServiceClient;

  beforeAll(async () => {
    tmp = await makeTempDir("mosaic-blob-index-");
    env = { AZURE_STORAGE_CONNECTION_STRING: azurite.current.connectionString };
    service = BlobServiceClient.fromConnectionString(azurite.current.connectionString);
    await service.getContainerClient(CONTAINER).create();
  });
  afterAll(async () => tmp?.cleanup());

  const access = () => createBlobAccess(env, undefined);
  const ref = (location: string) => access().parse(location)!;
  const currentOf = async (prefix: string) =>
    JSON.parse(
      (
        await service.getContainerClient(CONTAINER).getBlobClient(`${prefix}/CURRENT`).downloadToBuffer()
      ).toString(),
    ) as { version: string; manifestSha256: string };

  it("publishes under a version prefix with CURRENT last, and pulls it back verified", async () => {
    const local = path.join(tmp.dir, "one");
    await buildIndex(local, 1, "2024-05-06T12:00:00.000Z");
    const store = access().store;
    const pushed = await pushIndex(local, ref("az://indexes/roundtrip"), store, { blockSize: 1024 });
    expect(pushed.version).toMatch(/^v-20240506T120000Z-[0-9a-f]{12}$/);
    expect(pushed.location).toBe(`${azurite.current.endpoint}/indexes/roundtrip`);
    expect(await currentOf("roundtrip")).toEqual({
      version: pushed.version,
      manifestSha256: pushed.manifestSha256,
    });

    const names: string[] = [];
    for await (const blob of service.getContainerClient(CONTAINER).listBlobsFlat({ prefix: "roundtrip/" })) {
      names.push(blob.name);
    }
    expect(names.sort()).toEqual(
      [
        "CURRENT",
        ...["manifest.json", "postings.json", "records.jsonl", "vectors.f32"].map(
          (f) => `${pushed.version}/${f}`,
        ),
      ]
        .map((n) => `roundtrip/${n}`)
        .sort(),
    );

    const pulled = path.join(tmp.dir, "pulled");
    expect(await pullIndex(ref("az://indexes/roundtrip"), pulled, store)).toMatchObject({ downloaded: true });
    const index = await loadIndex(pulled);
    expect(index.count).toBe(60);
    expect(await readFile(path.join(pulled, "manifest.json"))).toEqual(
      await readFile(path.join(local, "manifest.json")),
    );

    // Same version again: nothing to upload or download.
    expect(await pushIndex(local, ref("az://indexes/roundtrip"), store)).toMatchObject({ unchanged: true });
    expect(await pullIndex(ref("az://indexes/roundtrip"), pulled, store)).toMatchObject({
      downloaded: false,
    });
  });

  it("keeps CURRENT on the old version when a push is interrupted, and resumes the staged blocks", async () => {
    const store = access().store;
    const target = ref("az://indexes/resume");
    const v1 = path.join(tmp.dir, "v1");
    const v2 = path.join(tmp.dir, "v2");
    await buildIndex(v1, 1, "2024-01-01T00:00:00.000Z");
    await buildIndex(v2, 2, "2024-02-01T00:00:00.000Z");
    const first = await pushIndex(v1, target, store, { blockSize: 1024 });

    const controller = new AbortController();
    let blocks = 0;
    const interrupted = pushIndex(v2, target, store, {
      blockSize: 1024,
      signal: controller.signal,
      onProgress: () => {
        blocks += 1;
        if (blocks === 2) controller.abort();
      },
    });
    await expect(interrupted).rejects.toBeInstanceOf(AbortedError);
    expect((await currentOf("resume")).version).toBe(first.version);
    const reader = path.join(tmp.dir, "reader");
    await pullIndex(target, reader, store);
    expect((await loadIndex(reader)).records[0]?.id).toBe("a-1-0");

    const resumed = await pushIndex(v2, target, store, { blockSize: 1024 });
    expect(resumed.reusedBytes).toBeGreaterThanOrEqual(2048);
    expect((await currentOf("resume")).version).toBe(resumed.version);
    await pullIndex(target, reader, store);
    expect((await loadIndex(reader)).records[0]?.id).toBe("a-2-0");
  });

  it("refuses a published file whose bytes no longer match the manifest, leaving the local copy alone", async () => {
    const store = access().store;
    const local = path.join(tmp.dir, "tamper-src");
    await buildIndex(local, 3, "2024-03-01T00:00:00.000Z");
    const pushed = await pushIndex(local, ref("az://indexes/tamper"), store);
    const dest = path.join(tmp.dir, "tamper-dest");
    await pullIndex(ref("az://indexes/tamper"), dest, store);
    const before = await readFile(path.join(dest, "vectors.f32"));

    const vectors = service
      .getContainerClient(CONTAINER)
      .getBlockBlobClient(`tamper/${pushed.version}/vectors.f32`);
    const bytes = Buffer.from(before);
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    await vectors.uploadData(bytes);
    await service
      .getContainerClient(CONTAINER)
      .getBlockBlobClient(`tamper/${pushed.version}/manifest.json`)
      .uploadData(await readFile(path.join(local, "manifest.json")));
    await expect(
      pullIndex(ref("az://indexes/tamper"), path.join(tmp.dir, "tamper-fresh"), store),
    ).rejects.toThrow(/vectors\.f32 does not match the index manifest/);
    expect(await readFile(path.join(dest, "vectors.f32"))).toEqual(before);
  });

  it("says clearly when the container or the published index is missing", async () => {
    const store = access().store;
    const local = path.join(tmp.dir, "one");
    const noContainer = pushIndex(local, ref("az://no-such-container/idx"), store);
    await expect(noContainer).rejects.toThrow(
      /Container "no-such-container" does not exist in storage account devstoreaccount1/,
    );
    await expect(
      pullIndex(ref("az://no-such-container/idx"), path.join(tmp.dir, "x"), store),
    ).rejects.toThrow(/Container "no-such-container" does not exist/);
    await expect(pullIndex(ref("az://indexes/never-pushed"), path.join(tmp.dir, "x"), store)).rejects.toThrow(
      /No mosaic index is published at .*never-pushed/,
    );
  });

  it("reports a wrong key without the key, and publishes nothing", async () => {
    const wrongKey = Buffer.from("not-the-right-key-at-all-0123456789").toString("base64");
    const bad = createBlobAccess(
      { AZURE_STORAGE_CONNECTION_STRING: azurite.current.connectionStringWithKey(wrongKey) },
      undefined,
      { storeOptions: { maxTries: 1 } },
    );
    const local = path.join(tmp.dir, "one");
    const error = await pushIndex(local, bad.parse("az://indexes/badkey")!, bad.store).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MosaicError);
    const text = `${(error as MosaicError).message}\n${(error as MosaicError).hint}`;
    expect(text).toMatch(/Azure Storage refused access .*AZURE_STORAGE_CONNECTION_STRING/s);
    expect(text).not.toContain(wrongKey);
    expect(text).not.toContain(DEV_KEY);
    const names: string[] = [];
    for await (const blob of service.getContainerClient(CONTAINER).listBlobsFlat({ prefix: "badkey/" }))
      names.push(blob.name);
    expect(names).toEqual([]);
  });

  it("uses a SAS in the URL before the connection string, and never prints the signature", async () => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        permissions: ContainerSASPermissions.parse("rl"),
        expiresOn: new Date(Date.now() + 3_600_000),
      },
      new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY),
    ).toString();
    // The connection string's key is wrong: only the SAS can make this work.
    const wrongKey = Buffer.from("another-wrong-key-0123456789abcdef").toString("base64");
    const sasOnly = createBlobAccess(
      { AZURE_STORAGE_CONNECTION_STRING: azurite.current.connectionStringWithKey(wrongKey) },
      undefined,
      { storeOptions: { maxTries: 1 } },
    );
    const location = `${azurite.current.endpoint}/${CONTAINER}/roundtrip?${sas}`;
    const dest = path.join(tmp.dir, "via-sas");
    await pullIndex(sasOnly.parse(location)!, dest, sasOnly.store);
    expect((await loadIndex(dest)).count).toBe(60);

    const forged = location.replace(
      /sig=[^&]+/,
      `sig=${encodeURIComponent(Buffer.from("forged-signature-value-000").toString("base64"))}`,
    );
    const signature = /sig=([^&]+)/.exec(forged)![1]!;
    const error = (await pullIndex(sasOnly.parse(forged)!, path.join(tmp.dir, "forged"), sasOnly.store).catch(
      (e: unknown) => e,
    )) as MosaicError;
    expect(error.message).toMatch(/refused access .*tried the SAS token in the URL/);
    expect(`${error.message}${error.hint}`).not.toContain(signature);
    expect(`${error.message}${error.hint}`).not.toContain(decodeURIComponent(signature));
  });

  it("reads public containers anonymously when no credential applies, and still refuses private ones", async () => {
    const pub = service.getContainerClient("public-art");
    await pub.create({ access: "blob" });
    await pub.getBlockBlobClient("a.txt").uploadData(Buffer.from("hello"));
    const store = createAzureBlobStore({}, { maxTries: 1 });
    const at = (container: string, blobPath: string) => ({
      account: DEV_ACCOUNT,
      endpoint: azurite.current.endpoint,
      container,
      path: blobPath,
    });
    const { stream } = await store.openRead(at("public-art", "a.txt"));
    let text = "";
    for await (const chunk of stream) text += String(chunk);
    expect(text).toBe("hello");
    await expect(store.openRead(at(CONTAINER, "roundtrip/CURRENT"))).rejects.toThrow(/Bearer token/);
  });

  it("`mosaic index push` / `pull` print the published version and the local directory", async () => {
    const local = path.join(tmp.dir, "one");
    const out = await runIndexCli(["index", "push", local, "az://indexes/cli"], tmp.dir, env);
    expect(out.stdout.trim()).toMatch(
      new RegExp(`^${azurite.current.endpoint}/indexes/cli/v-\\d{8}T\\d{6}Z-[0-9a-f]{12}$`),
    );
    const pulled = await runIndexCli(
      ["index", "pull", "az://indexes/cli", "cli-copy", "--json"],
      tmp.dir,
      env,
    );
    expect(JSON.parse(pulled.stdout)).toMatchObject({
      dir: path.join(tmp.dir, "cli-copy"),
      downloaded: true,
    });
  });
});

/** The real CLI in process; a failure fails the test with the CLI's own message. */
async function runIndexCli(argv: string[], cwd: string, env: Record<string, string>) {
  const run = await runCliInProcess(argv, { cwd, env });
  if (run.code !== 0) throw new Error(`mosaic ${argv.join(" ")} exited ${run.code}: ${run.stderr}`);
  return run;
}
