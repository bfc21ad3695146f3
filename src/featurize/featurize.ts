import type { Artwork, CatalogIssue } from "../catalog/artwork.js";
import { AbortedError } from "../errors.js";
import { ImageFailure } from "../images/failure.js";
import { redact } from "../redact.js";
import type { PixelBatch, PixelFormat, PreprocessSpec } from "../contracts/preprocess-spec.js";
import type { EngineInfo, FailureReason, FeaturizeSummary, Reporter, Stage } from "../contracts/events.js";
import type { EmbedPort, IndexSink } from "../contracts/ports.js";

export type CatalogItem = { kind: "artwork"; artwork: Artwork } | { kind: "issue"; issue: CatalogIssue };

export type { EmbedPort, IndexSink };

export interface FeaturizePorts {
  reporter: Reporter;
  catalog: AsyncIterable<CatalogItem>;
  fetchImage(ref: string, signal: AbortSignal): Promise<Buffer>;
  /** Decodes to the form asked for: the embedder's (`EmbedPort.pixels`), float32 when it has none. */
  decodeImage(buf: Buffer, spec: PreprocessSpec, pixels: PixelFormat): Promise<PixelBatch>;
  /** Absent in a dry run: images are fetched and decoded, nothing is embedded or written. */
  embedder?: EmbedPort;
  sink?: IndexSink;
  now(): number;
  signal: AbortSignal;
}

export interface FeaturizeOptions {
  catalogLabel: string;
  spec: PreprocessSpec;
  engine: EngineInfo;
  batchSize: number;
  concurrency: number;
  outDir: string | null;
  /** Ids already in the index being appended to: such rows are counted, not fetched again. */
  known?: ReadonlySet<string>;
  /**
   * Rows the catalog is expected to have (counted up front for a local file; an estimate when quoted
   * fields span lines); null or absent when unknown (a remote catalog). Replaced by the exact count as
   * soon as the catalog has been read.
   */
  expectedRows?: number | null;
  /** What a dry run decodes to (a real run decodes to what its embedder takes). Default float32. */
  pixels?: PixelFormat;
}

type EmbedOutcome = { vectors: Float32Array } | { error: unknown };

export interface FailedRow {
  row: number;
  /** Physical line of the catalog file (when the catalog reader knows it). */
  line?: number;
  id: string | undefined;
  stage: Stage;
  reason: FailureReason;
  message: string;
}

export interface FeaturizeResult {
  summary: FeaturizeSummary;
  failures: FailedRow[];
}

interface Decoded {
  artwork: Artwork;
  pixels: PixelBatch;
}

/**
 * The main job: catalog → fetch → decode → batch → embed → index. Downloads and decodes run
 * `concurrency` at a time while the previous batch is being embedded, so the model is never idle waiting
 * for I/O. Every row ends indexed or in `failures` with a reason; nothing is dropped.
 */
export async function featurize(options: FeaturizeOptions, ports: FeaturizePorts): Promise<FeaturizeResult> {
  const { reporter, now, signal } = ports;
  const started = now();
  const failures: FailedRow[] = [];
  const counts = { catalog: 0, download: 0, decode: 0, embed: 0, index: 0 };
  const failed = { catalog: 0, download: 0, decode: 0, embed: 0, index: 0 };
  const dryRun = !ports.embedder || !ports.sink;
  const format: PixelFormat = (dryRun ? options.pixels : ports.embedder?.pixels) ?? "float32";
  let interrupted = false;
  let alreadyIndexed = 0;
  let catalogRead = false;
  /**
   * Each stage's total: what entered the stage before it, less what failed there. Up front it follows the
   * expected row count; once the catalog is read (and each earlier stage is done) it is exact.
   */
  const order = ["catalog", "download", "decode", "embed", "index"] as const;
  const totalOf = (stage: Stage): number | null => {
    const rows = catalogRead
      ? counts.catalog + failed.catalog + alreadyIndexed
      : (options.expectedRows ?? null);
    if (rows === null) return null;
    let total = rows - alreadyIndexed;
    for (const earlier of order) {
      if (earlier === stage) break;
      total -= failed[earlier];
    }
    // An estimate below what is already seen would read "130/120".
    return Math.max(total, counts[stage] + failed[stage]);
  };

  reporter.emit({
    type: "start",
    at: now(),
    engine: options.engine,
    catalog: options.catalogLabel,
    total: options.expectedRows ?? null,
  });

  const fail = (
    stage: Stage,
    where: { row: number; line?: number },
    id: string | undefined,
    reason: FailureReason,
    message: string,
  ) => {
    failed[stage]++;
    const { row, line } = where;
    // Fetch errors quote the URL; its SAS signature must not reach failures.jsonl or the terminal.
    message = redact(message);
    failures.push(
      line === undefined ? { row, id, stage, reason, message } : { row, line, id, stage, reason, message },
    );
    reporter.emit({ type: "item-failed", at: now(), stage, row, id, reason, message });
  };
  const progress = (stage: Stage) =>
    reporter.emit({
      type: "progress",
      at: now(),
      stage,
      done: counts[stage],
      failed: failed[stage],
      total: totalOf(stage),
    });

  // Decoded images wait here for the embedder; bounded so a slow model applies back-pressure to downloads.
  const ready: Decoded[] = [];
  const maxReady = Math.max(options.batchSize * 3, options.concurrency);
  let producing = true;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const waitForChange = () => new Promise<void>((resolve) => (wake = resolve));
  let consumerWake: (() => void) | null = null;
  const notifyConsumer = () => {
    const w = consumerWake;
    consumerWake = null;
    w?.();
  };

  const processArtwork = async (artwork: Artwork): Promise<void> => {
    let buf: Buffer;
    try {
      buf = await ports.fetchImage(artwork.image, signal);
      counts.download++;
      progress("download");
    } catch (error) {
      if (signal.aborted) return;
      const { reason, message } = describeFailure(error, "connection");
      return fail("download", artwork, artwork.id, reason, message);
    }
    try {
      const pixels = await ports.decodeImage(buf, options.spec, format);
      counts.decode++;
      progress("decode");
      ready.push({ artwork, pixels });
      notifyConsumer();
    } catch (error) {
      const { reason, message } = describeFailure(error, "decode_failed");
      fail("decode", artwork, artwork.id, reason, message);
    }
  };

  const producer = (async () => {
    const inflight = new Set<Promise<void>>();
    try {
      for await (const item of ports.catalog) {
        if (signal.aborted) break;
        if (item.kind === "issue") {
          fail("catalog", item.issue, item.issue.id, item.issue.reason, item.issue.message);
          continue;
        }
        if (options.known?.has(item.artwork.id)) {
          alreadyIndexed++;
          continue;
        }
        counts.catalog++;
        progress("catalog");
        const task = processArtwork(item.artwork).finally(() => {
          inflight.delete(task);
          notify();
        });
        inflight.add(task);
        while (inflight.size >= options.concurrency || ready.length >= maxReady) {
          if (signal.aborted) break;
          await waitForChange();
        }
      }
      catalogRead = !signal.aborted;
      reporter.emit({
        type: "stage-done",
        at: now(),
        stage: "catalog",
        done: counts.catalog,
        failed: failed.catalog,
      });
      await Promise.all(inflight);
    } finally {
      producing = false;
      notifyConsumer();
    }
    for (const stage of ["download", "decode"] as const) {
      reporter.emit({ type: "stage-done", at: now(), stage, done: counts[stage], failed: failed[stage] });
    }
  })();

  const consumer = (async () => {
    const { embedder, sink } = ports;
    const pixelsPerImage = options.spec.height * options.spec.width * 3;
    // Two batches in flight: the next one is on its way to the model while the previous one's vectors
    // are written, so the model worker never waits for the main thread between batches. Two buffers,
    // alternating: a buffer is filled again only once the batch that used it has come back.
    const buffers: PixelBatch[] = [];
    let turn = 0;
    let tail: Promise<void> | undefined;
    const finish = async (batch: Decoded[], embedding: Promise<EmbedOutcome>) => {
      const outcome = await embedding;
      if (!("vectors" in outcome)) {
        // A failing batch is reported per artwork; the job goes on with the next batch.
        const message = `model failed on this batch: ${(outcome.error as Error).message}`;
        for (const item of batch) fail("embed", item.artwork, item.artwork.id, "embed_failed", message);
        return;
      }
      const { vectors } = outcome;
      counts.embed += batch.length;
      progress("embed");
      const dim = (embedder as EmbedPort).dim;
      for (let i = 0; i < batch.length; i++) {
        await (sink as IndexSink).add(
          (batch[i] as Decoded).artwork,
          vectors.subarray(i * dim, (i + 1) * dim),
        );
      }
      counts.index += batch.length;
      progress("index");
    };
    try {
      for (;;) {
        while (ready.length < options.batchSize && producing && !signal.aborted) {
          await new Promise<void>((resolve) => (consumerWake = resolve));
        }
        if (signal.aborted) return;
        if (ready.length === 0 && !producing) break;
        const batch = ready.splice(0, options.batchSize);
        notify();
        if (dryRun || !embedder || !sink) continue;
        const size = batch.length * pixelsPerImage;
        let buffer = buffers[turn];
        if (buffer?.length !== size) {
          buffer = format === "uint8" ? new Uint8Array(size) : new Float32Array(size);
          buffers[turn] = buffer;
        }
        turn = 1 - turn;
        for (const [i, item] of batch.entries()) buffer.set(item.pixels, i * pixelsPerImage);
        const embedding = embedder.embed(buffer, batch.length).then(
          (vectors): EmbedOutcome => ({ vectors }),
          (error: unknown): EmbedOutcome => ({ error }),
        );
        // The previous batch's vectors go to the sink first: rows stay in order.
        if (tail) await tail;
        tail = finish(batch, embedding);
      }
      if (tail) await tail;
    } finally {
      // An interrupted run still lets the batch in flight settle before the sink is aborted.
      if (signal.aborted) await tail?.catch(() => undefined);
    }
  })();

  const interruptedError = () =>
    new AbortedError("Featurize interrupted; the previous index (if any) is unchanged.", {
      hint: "Run the same command again: downloaded images are cached, so it catches up quickly.",
    });
  const onAbort = () => {
    interrupted = true;
    reporter.emit({
      type: "stopping",
      at: now(),
      reason: "interrupted: finishing in-flight work, index left untouched",
    });
    notify();
    notifyConsumer();
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.all([producer, consumer]).catch((error: unknown) => {
      // Whichever stage noticed the abort first, the user gets the one explanation.
      throw signal.aborted ? interruptedError() : error;
    });
    if (signal.aborted) throw interruptedError();
    if (!dryRun) {
      reporter.emit({
        type: "stage-done",
        at: now(),
        stage: "embed",
        done: counts.embed,
        failed: failed.embed,
      });
      await ports.sink?.commit();
      reporter.emit({
        type: "stage-done",
        at: now(),
        stage: "index",
        done: counts.index,
        failed: failed.index,
      });
    }
  } catch (error) {
    await ports.sink?.abort().catch(() => undefined);
    if (interrupted || signal.aborted) {
      reporter.emit({ type: "done", at: now(), summary: summarize(true) });
    }
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }

  const summary = summarize(false);
  reporter.emit({ type: "done", at: now(), summary });
  return { summary, failures };

  function summarize(wasInterrupted: boolean): FeaturizeSummary {
    const failuresByReason: FeaturizeSummary["failuresByReason"] = {};
    for (const f of failures) failuresByReason[f.reason] = (failuresByReason[f.reason] ?? 0) + 1;
    return {
      rowsRead: counts.catalog + failed.catalog + alreadyIndexed,
      indexed: dryRun ? counts.decode : counts.index,
      failed: failures.length,
      ...(options.known ? { alreadyIndexed } : {}),
      failuresByReason,
      outDir: dryRun || wasInterrupted ? null : options.outDir,
      seconds: (now() - started) / 1000,
      dryRun,
      interrupted: wasInterrupted,
    };
  }
}

function describeFailure(
  error: unknown,
  fallback: FailureReason,
): { reason: FailureReason; message: string } {
  if (error instanceof ImageFailure) return { reason: error.reason, message: error.message };
  return { reason: fallback, message: error instanceof Error ? error.message : String(error) };
}
