import { describe, expect, it } from "vitest";
import type { EmbedPort } from "../../src/contracts/ports.js";
import { createBatchingEmbedder, type Schedule } from "../../src/server/batching-embedder.js";
import { OverloadedError } from "../../src/server/overloaded-error.js";

/** A hand-driven clock: scheduled callbacks run only when the test calls fire(). */
function manualSchedule() {
  const pending: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const schedule: Schedule = (fn, ms) => {
    const entry = { fn, ms, cancelled: false };
    pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  return {
    schedule,
    armed: () => pending.filter((p) => !p.cancelled).length,
    fire() {
      for (const p of pending.splice(0)) if (!p.cancelled) p.fn();
    },
  };
}

/** A model that returns [image value] per image (1-d features) and can be held mid-call. */
function recordingModel() {
  const batches: number[] = [];
  let release: (() => void) | null = null;
  let hold = false;
  const model: EmbedPort = {
    dim: 1,
    async embed(batch, n) {
      batches.push(n);
      if (hold) await new Promise<void>((r) => (release = r));
      return Float32Array.from({ length: n }, (_, i) => batch[i * 2]! * 10);
    },
  };
  return {
    model,
    batches,
    holdNext() {
      hold = true;
    },
    release() {
      hold = false;
      release?.();
    },
  };
}

/** Two floats per image; the first identifies it. */
const image = (value: number) => Float32Array.from([value, 0]);
const flush = () => new Promise<void>((r) => setImmediate(r));

describe("createBatchingEmbedder", () => {
  it("gathers concurrent calls into one model call when the wait elapses, and splits the results back", async () => {
    const clock = manualSchedule();
    const m = recordingModel();
    const embedder = createBatchingEmbedder(m.model, {
      maxBatch: 8,
      maxWaitMs: 5,
      maxQueue: 10,
      schedule: clock.schedule,
    });
    const results = [1, 2, 3].map((v) => embedder.embed(image(v), 1));
    expect(m.batches).toEqual([]);
    expect(embedder.queueDepth).toBe(3);
    expect(clock.armed()).toBe(1);
    clock.fire();
    expect(await Promise.all(results)).toEqual([
      Float32Array.of(10),
      Float32Array.of(20),
      Float32Array.of(30),
    ]);
    expect(m.batches).toEqual([3]);
    expect(embedder.queueDepth).toBe(0);
  });

  it("sends a full batch at once without waiting, and keeps the rest for the next", async () => {
    const clock = manualSchedule();
    const m = recordingModel();
    const sizes: number[] = [];
    const embedder = createBatchingEmbedder(m.model, {
      maxBatch: 2,
      maxWaitMs: 5,
      maxQueue: 10,
      schedule: clock.schedule,
      onBatch: (n) => sizes.push(n),
    });
    const first = [embedder.embed(image(1), 1), embedder.embed(image(2), 1)];
    expect(m.batches).toEqual([2]);
    const third = embedder.embed(image(3), 1);
    expect(await Promise.all(first)).toEqual([Float32Array.of(10), Float32Array.of(20)]);
    await flush();
    // The straggler arrived while the model was busy, so it goes as soon as the model frees up.
    expect(await third).toEqual(Float32Array.of(30));
    expect(m.batches).toEqual([2, 1]);
    expect(sizes).toEqual([2, 1]);
  });

  it("queues calls that arrive during a model call and sends them together afterwards", async () => {
    const clock = manualSchedule();
    const m = recordingModel();
    const embedder = createBatchingEmbedder(m.model, {
      maxBatch: 16,
      maxWaitMs: 5,
      maxQueue: 10,
      schedule: clock.schedule,
    });
    m.holdNext();
    const first = embedder.embed(image(1), 1);
    clock.fire();
    expect(m.batches).toEqual([1]);
    expect(embedder.inFlight).toBe(1);
    const later = [4, 5, 6].map((v) => embedder.embed(image(v), 1));
    expect(embedder.queueDepth).toBe(3);
    m.release();
    await first;
    expect(await Promise.all(later)).toEqual([Float32Array.of(40), Float32Array.of(50), Float32Array.of(60)]);
    expect(m.batches).toEqual([1, 3]);
  });

  it("sheds load with OverloadedError when the queue is full, and recovers", async () => {
    const clock = manualSchedule();
    const m = recordingModel();
    const embedder = createBatchingEmbedder(m.model, {
      maxBatch: 1,
      maxWaitMs: 5,
      maxQueue: 2,
      schedule: clock.schedule,
    });
    m.holdNext();
    const running = embedder.embed(image(1), 1); // in the model
    const queued = [embedder.embed(image(2), 1), embedder.embed(image(3), 1)];
    await expect(embedder.embed(image(4), 1)).rejects.toBeInstanceOf(OverloadedError);
    m.release();
    await Promise.all([running, ...queued]);
    await expect(embedder.embed(image(5), 1)).resolves.toEqual(Float32Array.of(50));
  });

  it("rejects every caller of a failed model call, and the next call still works", async () => {
    const clock = manualSchedule();
    let fail = true;
    const model: EmbedPort = {
      dim: 1,
      embed: async (_b, n) => {
        if (fail) throw new Error("model exploded");
        return new Float32Array(n);
      },
    };
    const embedder = createBatchingEmbedder(model, {
      maxBatch: 4,
      maxWaitMs: 5,
      maxQueue: 4,
      schedule: clock.schedule,
    });
    const calls = [embedder.embed(image(1), 1), embedder.embed(image(2), 1)];
    clock.fire();
    for (const call of calls) await expect(call).rejects.toThrow("model exploded");
    fail = false;
    const ok = embedder.embed(image(3), 1);
    clock.fire();
    await expect(ok).resolves.toHaveLength(1);
  });

  it("passes multi-image calls through whole and slices their rows back", async () => {
    const clock = manualSchedule();
    const m = recordingModel();
    const embedder = createBatchingEmbedder(m.model, {
      maxBatch: 4,
      maxWaitMs: 5,
      maxQueue: 4,
      schedule: clock.schedule,
    });
    const pair = embedder.embed(Float32Array.from([1, 0, 2, 0]), 2);
    const single = embedder.embed(image(3), 1);
    clock.fire();
    expect(await pair).toEqual(Float32Array.of(10, 20));
    expect(await single).toEqual(Float32Array.of(30));
    expect(m.batches).toEqual([3]);
  });

  it("rejects nonsense settings", () => {
    const m = recordingModel();
    expect(() => createBatchingEmbedder(m.model, { maxBatch: 0, maxWaitMs: 5, maxQueue: 1 })).toThrow(
      RangeError,
    );
  });
});
