import { Worker } from "node:worker_threads";
import { UsageError } from "../errors.js";
import type { PixelBatch, PreprocessSpec } from "../contracts/preprocess-spec.js";
import type { DecodeOptions } from "./decode.js";
import { ImageFailure, type ImageFailureReason } from "./failure.js";

/**
 * decodeImage on worker threads. The JS half of decoding (bilinear resample + normalize) runs on the
 * calling thread, so one process tops out at a few hundred images/s; on a many-core GPU box that starves
 * the GPU. Each worker runs the very same decodeImage (imported from decode.js beside this file).
 */
export interface DecodePool {
  /** Float32 tensor values, or bytes when `options.pixels` is uint8. */
  decode(buf: Buffer, spec: PreprocessSpec, options?: DecodeOptions): Promise<PixelBatch>;
  readonly size: number;
  close(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.moduleUrl).then(({ decodePixels, configureDecoding }) => {
  configureDecoding();
  parentPort.on("message", async (m) => {
    try {
      const out = await decodePixels(Buffer.from(m.buf.buffer, m.buf.byteOffset, m.buf.byteLength), m.spec, m.options);
      parentPort.postMessage({ id: m.id, data: out }, [out.buffer]);
    } catch (e) {
      parentPort.postMessage({ id: m.id, reason: e && e.reason, message: String((e && e.message) || e) });
    }
  });
  parentPort.postMessage({ ready: true });
}, (e) => parentPort.postMessage({ ready: false, message: String((e && e.message) || e) }));
`;

type Reply =
  | { ready: true }
  | { ready: false; message: string }
  | { id: number; data: PixelBatch }
  | { id: number; reason?: ImageFailureReason; message: string };

interface Slot {
  worker: Worker;
  busy: number;
}

/** Starts `size` decode workers; resolves once all have loaded the decoder. */
export async function createDecodePool(size: number): Promise<DecodePool> {
  // Node 20 cannot apply tsx's loader inside worker threads, so the pool needs the compiled decode.js.
  if (import.meta.url.endsWith(".ts")) {
    throw new UsageError(
      "Decode workers run only from the built package (dist/), not from TypeScript sources",
      {
        hint: "Run `npm run build` and use bin/mosaic.js, or pass --decode-workers 0.",
      },
    );
  }
  const moduleUrl = new URL("./decode.js", import.meta.url).href;
  const pending = new Map<number, { resolve(d: PixelBatch): void; reject(e: Error): void }>();
  // Each decode's outcome, whatever it is: close() waits on these.
  const inFlight = new Set<Promise<void>>();
  let nextId = 0;
  const slots: Slot[] = await Promise.all(
    Array.from(
      { length: size },
      () =>
        new Promise<Slot>((resolve, reject) => {
          const worker = new Worker(WORKER_SOURCE, {
            eval: true,
            workerData: { moduleUrl },
          });
          const slot: Slot = { worker, busy: 0 };
          worker.on("message", (msg: Reply) => {
            if ("ready" in msg) {
              if (msg.ready) resolve(slot);
              else reject(new Error(`decode worker failed to start: ${msg.message}`));
              return;
            }
            slot.busy--;
            const waiter = pending.get(msg.id);
            pending.delete(msg.id);
            if (!waiter) return;
            if ("data" in msg) waiter.resolve(msg.data);
            else waiter.reject(new ImageFailure(msg.reason ?? "decode_failed", msg.message));
          });
          worker.on("error", (error) => {
            reject(error);
            for (const w of pending.values()) w.reject(error);
            pending.clear();
          });
        }),
    ),
  );
  return {
    size,
    decode(buf, spec, options) {
      // Least-busy worker: decode times vary a lot with image size.
      const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      slot.busy++;
      const id = nextId++;
      const result = new Promise<PixelBatch>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, buf, spec, options });
      });
      const settled = result.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      return result;
    },
    async close() {
      // A worker terminated while sharp works in it can abort the process; decodes take milliseconds.
      await Promise.all(inFlight);
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
