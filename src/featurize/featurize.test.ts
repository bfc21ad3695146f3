import { describe, expect, it } from "vitest";
import type { Artwork } from "../catalog/artwork.js";
import { AbortedError } from "../errors.js";
import { ImageFailure } from "../images/failure.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";
import type { FeaturizeEvent } from "../contracts/events.js";
import { type CatalogItem, type FeaturizeOptions, featurize } from "./featurize.js";

const spec: PreprocessSpec = {
  height: 2,
  width: 2,
  resize: "squash",
  channelOrder: "rgb",
  mean: [0, 0, 0],
  std: [1, 1, 1],
  layout: "nhwc",
};
const options: FeaturizeOptions = {
  catalogLabel: "fake",
  spec,
  engine: { model: "fake", device: "cpu", batchSize: 3, threads: 1 },
  batchSize: 3,
  concurrency: 2,
  outDir: "/tmp/out",
};

const art = (n: number, image = `img-${n}`): Artwork => ({
  id: `a${n}`,
  row: n,
  image,
  facets: {},
  meta: {},
});

async function* items(list: CatalogItem[]): AsyncIterable<CatalogItem> {
  for (const item of list) yield item;
}

function harness(list: CatalogItem[], opts: { failEmbed?: boolean; abortAfter?: number } = {}) {
  const events: FeaturizeEvent[] = [];
  const added: string[] = [];
  const batches: number[] = [];
  let committed = false;
  let aborted = false;
  const controller = new AbortController();
  let tick = 0;
  const ports = {
    reporter: {
      emit: (e: FeaturizeEvent) => events.push(e),
      step: <T>(_label: string, work: () => Promise<T>) => work(),
      note: () => undefined,
      close: () => undefined,
    },
    catalog: items(list),
    fetchImage: async (ref: string) => {
      await new Promise((r) => setTimeout(r, 1));
      if (ref === "404") throw new ImageFailure("http_404", "HTTP 404");
      if (ref === "weird") throw new Error("socket hang up");
      return Buffer.from(ref);
    },
    decodeImage: async (buf: Buffer) => {
      if (buf.toString() === "corrupt") throw new ImageFailure("decode_failed", "bad JPEG");
      return new Float32Array(12).fill(buf.length);
    },
    embedder: {
      dim: 2,
      embed: async (_batch: Float32Array, n: number) => {
        batches.push(n);
        if (opts.failEmbed) throw new Error("boom");
        if (opts.abortAfter !== undefined && batches.length >= opts.abortAfter) controller.abort();
        return new Float32Array(n * 2).fill(1);
      },
    },
    sink: {
      add: (record: Artwork) => void added.push(record.id),
      commit: async () => {
        committed = true;
      },
      abort: async () => {
        aborted = true;
      },
    },
    now: () => tick++,
    signal: controller.signal,
  };
  return { ports, events, added, batches, state: () => ({ committed, aborted }) };
}

describe("featurize", () => {
  it("indexes good rows and reports every other row with a reason", async () => {
    const list: CatalogItem[] = [
      { kind: "artwork", artwork: art(1) },
      { kind: "issue", issue: { row: 2, reason: "missing_image", message: "no image" } },
      { kind: "artwork", artwork: art(3, "404") },
      { kind: "artwork", artwork: art(4, "corrupt") },
      { kind: "artwork", artwork: art(5, "weird") },
      ...[6, 7, 8, 9].map((n): CatalogItem => ({ kind: "artwork", artwork: art(n) })),
    ];
    const h = harness(list);
    const { summary, failures } = await featurize(options, h.ports);
    expect(summary.rowsRead).toBe(9);
    expect(summary.indexed + summary.failed).toBe(9);
    expect(h.added.sort()).toEqual(["a1", "a6", "a7", "a8", "a9"]);
    expect(failures.map((f) => [f.row, f.reason]).sort()).toEqual([
      [2, "missing_image"],
      [3, "http_404"],
      [4, "decode_failed"],
      [5, "connection"],
    ]);
    expect(h.batches.reduce((a, b) => a + b, 0)).toBe(5);
    expect(Math.max(...h.batches)).toBeLessThanOrEqual(3);
    expect(h.state().committed).toBe(true);
    expect(h.events.at(-1)?.type).toBe("done");
  });

  it("reports a failing model batch per artwork and still commits the rest", async () => {
    const h = harness(
      [1, 2].map((n): CatalogItem => ({ kind: "artwork", artwork: art(n) })),
      { failEmbed: true },
    );
    const { summary } = await featurize(options, h.ports);
    expect(summary.failuresByReason).toEqual({ embed_failed: 2 });
    expect(summary.indexed).toBe(0);
  });

  it("does not embed or write in a dry run", async () => {
    const h = harness([1, 2, 3, 4].map((n): CatalogItem => ({ kind: "artwork", artwork: art(n) })));
    const { embedder: _e, sink: _s, ...dry } = h.ports;
    const { summary } = await featurize({ ...options, outDir: null }, dry);
    expect(summary).toMatchObject({ dryRun: true, indexed: 4, failed: 0, outDir: null });
    expect(h.batches).toEqual([]);
  });

  it("stops on abort, leaves the index uncommitted and says it is stopping", async () => {
    const list = Array.from(
      { length: 30 },
      (_, i): CatalogItem => ({ kind: "artwork", artwork: art(i + 1) }),
    );
    const h = harness(list, { abortAfter: 1 });
    await expect(featurize(options, h.ports)).rejects.toBeInstanceOf(AbortedError);
    expect(h.state()).toEqual({ committed: false, aborted: true });
    expect(h.events.some((e) => e.type === "stopping")).toBe(true);
  });
});

describe("featurize progress totals", () => {
  const list = (): CatalogItem[] => [
    { kind: "artwork", artwork: art(1) },
    { kind: "issue", issue: { row: 2, reason: "missing_image", message: "no image" } },
    { kind: "artwork", artwork: art(3, "404") },
    { kind: "artwork", artwork: art(4, "corrupt") },
    ...[5, 6, 7].map((n): CatalogItem => ({ kind: "artwork", artwork: art(n) })),
  ];
  const lastTotal = (events: FeaturizeEvent[], stage: string) =>
    events.filter((e) => e.type === "progress" && e.stage === stage).at(-1) as
      | Extract<FeaturizeEvent, { type: "progress" }>
      | undefined;

  it("with the row count known up front, every stage has a total from its first event", async () => {
    const h = harness(list());
    await featurize({ ...options, expectedRows: 7 }, h.ports);
    expect(h.events[0]).toMatchObject({ type: "start", total: 7 });
    const progress = h.events.filter((e) => e.type === "progress");
    expect(progress.every((e) => e.total !== null)).toBe(true);
    // Each stage's total is what reaches it: 7 rows, less 1 catalog issue, 1 download and 1 decode failure.
    expect(lastTotal(h.events, "catalog")?.total).toBe(7);
    expect(lastTotal(h.events, "download")?.total).toBe(6);
    expect(lastTotal(h.events, "decode")?.total).toBe(5);
    expect(lastTotal(h.events, "embed")?.total).toBe(4);
    expect(lastTotal(h.events, "index")?.total).toBe(4);
  });

  it("an estimate that was off is replaced by the exact count once the catalog is read", async () => {
    const h = harness(list());
    await featurize({ ...options, expectedRows: 12 }, h.ports);
    expect(lastTotal(h.events, "embed")?.total).toBe(4);
    expect(lastTotal(h.events, "index")?.total).toBe(4);
  });

  it("without a count (a remote catalog) the catalog stage has none; later stages get it once it is read", async () => {
    const h = harness(list());
    await featurize(options, h.ports);
    expect(h.events[0]).toMatchObject({ type: "start", total: null });
    expect(lastTotal(h.events, "catalog")?.total).toBeNull();
    expect(lastTotal(h.events, "index")?.total).toBe(4);
  });

  it("keeps two batches in flight to the model and writes rows in catalog order", async () => {
    const h = harness(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n): CatalogItem => ({ kind: "artwork", artwork: art(n) })),
    );
    let running = 0;
    let most = 0;
    const seen: number[][] = [];
    h.ports.embedder.embed = async (batch: Float32Array, n: number) => {
      seen.push(Array.from(batch.subarray(0, n * 12)));
      running++;
      most = Math.max(most, running);
      // The model answers slowly: the pipeline must send the next batch meanwhile.
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return new Float32Array(n * 2).fill(1);
    };
    const { summary } = await featurize(options, h.ports);
    expect(summary.indexed).toBe(9);
    expect(most).toBe(2);
    expect(h.added).toEqual(["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"]);
    // Each batch kept its own pixels although the next one was filled while it was in flight.
    expect(seen.map((b) => b.length)).toEqual([36, 36, 36]);
  });

  it("decodes to the form the embedder takes", async () => {
    const h = harness([1, 2, 3].map((n): CatalogItem => ({ kind: "artwork", artwork: art(n) })));
    const asked: string[] = [];
    const ports = {
      ...h.ports,
      embedder: { ...h.ports.embedder, pixels: "uint8" as const },
      decodeImage: async (_buf: Buffer, _spec: PreprocessSpec, pixels: string) => {
        asked.push(pixels);
        return new Uint8Array(12).fill(7);
      },
    };
    let got: unknown;
    ports.embedder.embed = async (batch: Float32Array | Uint8Array, n: number) => {
      got = batch;
      return new Float32Array(n * 2);
    };
    await featurize(options, ports);
    expect(asked).toEqual(["uint8", "uint8", "uint8"]);
    expect(got).toBeInstanceOf(Uint8Array);
  });
});
