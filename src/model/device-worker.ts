import { Worker } from "node:worker_threads";
import type * as ort from "onnxruntime-node";

/**
 * onnxruntime-node's `session.run` is asynchronous in name only: it blocks the event loop for the whole
 * inference, on the CPU as on a GPU, and the JS half of decoding (resample + normalize) stalls with it.
 * Running the session in a worker thread lets the main thread keep decoding while the model works.
 *
 * The worker is evaluated from source (not a file) so it runs the same from dist/, tsx, vitest and bundles.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const ort = require(workerData.ortPath);
(async () => {
  let session;
  try {
    session = await ort.InferenceSession.create(workerData.model, workerData.sessionOptions);
  } catch (error) {
    parentPort.postMessage({ type: "error", message: String(error && error.message || error) });
    return;
  }
  const inputName = session.inputNames[0];
  const outputName = session.outputNames.includes("features") ? "features" : session.outputNames[0];
  const meta = (session.inputMetadata || [])[0];
  const inputShape = meta && meta.isTensor && Array.isArray(meta.shape) ? [...meta.shape] : [];
  parentPort.postMessage({ type: "ready", inputName, outputName, inputShape });
  parentPort.on("message", async (msg) => {
    if (msg.type === "close") {
      await session.release();
      parentPort.close();
      return;
    }
    try {
      const input = new ort.Tensor(msg.batch instanceof Uint8Array ? "uint8" : "float32", msg.batch, msg.shape);
      const out = (await session.run({ [inputName]: input }, [outputName]))[outputName];
      const data = out.data instanceof Float32Array ? out.data : Float32Array.from(out.data);
      parentPort.postMessage({ type: "result", id: msg.id, data }, [data.buffer]);
    } catch (error) {
      parentPort.postMessage({ type: "result", id: msg.id, error: String(error && error.message || error) });
    }
  });
})();
`;

/** How long close() waits for runs in flight before it gives up on them and ends the worker anyway. */
const CLOSE_GRACE_MS = 60_000;

/** A session living in a worker thread: `run` posts a copy of the batch and resolves with the output. */
export interface DeviceWorkerSession {
  /** The model input's declared shape: numbers for fixed dimensions, names for symbolic ones ([] unknown). */
  readonly inputShape: readonly (number | string)[];
  /** Float32 or uint8 input, whichever the model's input takes. */
  run(batch: Float32Array | Uint8Array, shape: readonly number[]): Promise<Float32Array>;
  /** Releases the session and ends the worker (it would keep the process alive). */
  close(): Promise<void>;
}

type FromWorker =
  | { type: "ready"; inputName: string; outputName: string; inputShape: (number | string)[] }
  | { type: "error"; message: string }
  | { type: "result"; id: number; data?: Float32Array; error?: string };

/** Starts the worker and creates the session there; rejects with ORT's message if the session fails. */
export function openDeviceWorker(
  ortPath: string,
  model: string | Uint8Array,
  sessionOptions: ort.InferenceSession.SessionOptions,
): Promise<DeviceWorkerSession> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath, model, sessionOptions } });
  const pending = new Map<number, { resolve(d: Float32Array): void; reject(e: Error): void }>();
  // Each run's outcome, whatever it is: close() waits on these.
  const inFlight = new Set<Promise<void>>();
  let nextId = 0;
  let exited = false;
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  return new Promise((resolveOpen, rejectOpen) => {
    worker.on("error", (error) => {
      failAll(error);
      rejectOpen(error);
    });
    worker.on("exit", (code) => {
      exited = true;
      const error = new Error(`model worker exited (code ${code})`);
      failAll(error);
      rejectOpen(error);
    });
    worker.on("message", (msg: FromWorker) => {
      if (msg.type === "error") {
        rejectOpen(new Error(msg.message));
        void worker.terminate();
      } else if (msg.type === "ready") {
        resolveOpen({
          inputShape: msg.inputShape,
          run(batch, shape) {
            if (exited) return Promise.reject(new Error("model worker has exited"));
            const id = nextId++;
            // A copy, transferred: callers reuse their batch buffer while this one is in flight.
            const copy = batch.slice();
            const result = new Promise<Float32Array>((resolve, reject) => {
              pending.set(id, { resolve, reject });
              worker.postMessage({ type: "run", id, batch: copy, shape }, [copy.buffer]);
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
            if (exited) return;
            const done = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
            // Terminating a worker while ORT runs in it aborts the whole process (a Napi::Error thrown
            // into a dying thread), so runs in flight finish first: one batch, seconds at most. A run
            // stuck inside ORT is the one case left to terminate.
            const stuck = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
            await Promise.all(inFlight);
            if (!exited) worker.postMessage({ type: "close" });
            await done;
            clearTimeout(stuck);
          },
        });
      } else {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error !== undefined || !msg.data) p?.reject(new Error(msg.error ?? "no output"));
        else p?.resolve(msg.data);
      }
    });
  });
}
