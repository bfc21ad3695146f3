import type { EmbedPort } from "../contracts/ports.js";
import { OverloadedError } from "./overloaded-error.js";

/** Runs `fn` after `ms`; returns a canceller. Injected so tests drive time by hand. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export interface BatchingOptions {
  /** Most images per model call. */
  maxBatch: number;
  /** Longest a request waits for company before its batch runs anyway (bounded latency cost). */
  maxWaitMs: number;
  /** Most requests waiting (not yet in a model call); beyond this, embed rejects with OverloadedError. */
  maxQueue: number;
  /** Model calls in flight at once (default 1: one ONNX session already uses every core). */
  concurrency?: number;
  schedule?: Schedule;
  /** Called with the image count of each model call (for the batch-size histogram). */
  onBatch?(size: number): void;
}

/** An EmbedPort that gathers concurrent calls into shared model calls. */
export interface BatchingEmbedder extends EmbedPort {
  /** Requests waiting for a model call. */
  readonly queueDepth: number;
  /** Requests inside a model call now. */
  readonly inFlight: number;
  /** Float32 only: the server decodes queries to floats, and calls are concatenated into one batch. */
  embed(batch: Float32Array, n: number): Promise<Float32Array>;
}

interface Pending {
  pixels: Float32Array;
  n: number;
  resolve(vectors: Float32Array): void;
  reject(error: unknown): void;
}

const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

/**
 * Dynamic batching: a request waits at most `maxWaitMs` (or until `maxBatch` images are queued), then
 * everything queued goes to the model in one call and the rows are handed back to each caller. Calls
 * that arrive while the model is busy wait for it anyway, so they go out together as soon as it frees.
 */
export function createBatchingEmbedder(inner: EmbedPort, options: BatchingOptions): BatchingEmbedder {
  const { maxBatch, maxWaitMs, maxQueue } = options;
  const concurrency = options.concurrency ?? 1;
  const schedule = options.schedule ?? realSchedule;
  for (const [name, value] of [
    ["maxBatch", maxBatch],
    ["maxQueue", maxQueue],
    ["concurrency", concurrency],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${name} must be a whole number ≥ 1, got ${value}`);
  }
  const queue: Pending[] = [];
  let queuedImages = 0;
  let running = 0;
  let inFlight = 0;
  let due = false;
  let cancelTimer: (() => void) | null = null;

  const stopTimer = () => {
    cancelTimer?.();
    cancelTimer = null;
  };

  const pump = (): void => {
    while (running < concurrency && queue.length > 0) {
      if (queuedImages < maxBatch && !due) {
        cancelTimer ??= schedule(() => {
          cancelTimer = null;
          due = true;
          pump();
        }, maxWaitMs);
        return;
      }
      dispatch();
    }
  };

  const dispatch = (): void => {
    const batch: Pending[] = [];
    let images = 0;
    // Always take the head, even when it alone exceeds maxBatch (a caller's own multi-image batch).
    while (queue.length > 0 && (batch.length === 0 || images + queue[0]!.n <= maxBatch)) {
      const next = queue.shift()!;
      batch.push(next);
      images += next.n;
    }
    queuedImages -= images;
    due = false;
    stopTimer();
    running++;
    inFlight += batch.length;
    void runBatch(batch, images).finally(() => {
      running--;
      inFlight -= batch.length;
      // Whatever queued up meanwhile has already waited for the model: send it without a further wait.
      if (queue.length > 0) due = true;
      pump();
    });
  };

  const runBatch = async (batch: Pending[], images: number): Promise<void> => {
    options.onBatch?.(images);
    try {
      const input = batch.length === 1 ? batch[0]!.pixels : concat(batch, images);
      const out = await inner.embed(input, images);
      const dim = out.length / images;
      let row = 0;
      for (const item of batch) {
        item.resolve(out.slice(row * dim, (row + item.n) * dim));
        row += item.n;
      }
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  };

  return {
    get dim() {
      return inner.dim;
    },
    get queueDepth() {
      return queue.length;
    },
    get inFlight() {
      return inFlight;
    },
    embed(pixels: Float32Array, n: number) {
      if (n === 0) return Promise.resolve(new Float32Array(0));
      if (queue.length >= maxQueue) {
        return Promise.reject(
          new OverloadedError(`Server busy: ${queue.length} requests already waiting for the model`),
        );
      }
      return new Promise<Float32Array>((resolve, reject) => {
        queue.push({ pixels, n, resolve, reject });
        queuedImages += n;
        pump();
      });
    },
  };
}

function concat(batch: readonly Pending[], images: number): Float32Array {
  const perImage = batch[0]!.pixels.length / batch[0]!.n;
  const out = new Float32Array(images * perImage);
  let at = 0;
  for (const item of batch) {
    out.set(item.pixels.subarray(0, item.n * perImage), at);
    at += item.n * perImage;
  }
  return out;
}
