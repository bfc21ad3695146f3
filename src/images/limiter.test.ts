import { describe, expect, it } from "vitest";
import { createLimiter } from "./limiter.js";

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("createLimiter", () => {
  it("never runs more than n tasks and starts them in FIFO order", async () => {
    const limiter = createLimiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 6 }, () => {
      let resolve = (): void => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      return { promise, resolve };
    });
    const results = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        running += 1;
        peak = Math.max(peak, running);
        await gate.promise;
        running -= 1;
        return i;
      }),
    );
    await tick();
    expect([limiter.active, limiter.pending]).toEqual([2, 4]);
    for (const gate of gates) {
      gate.resolve();
      await tick();
    }
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect([limiter.active, limiter.pending]).toEqual([0, 0]);
  });

  it("frees the slot when a task throws", async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(await limiter.run(async () => 7)).toBe(7);
  });

  it("rejects a concurrency below 1", () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
  });
});
