import { describe, expect, it } from "vitest";
import type { HistogramTotals } from "../../src/server/metrics-registry.js";
import { createServerMetrics, type MetricsSnapshot } from "../../src/server/server-metrics.js";
import { histogramQuantile } from "../../src/ui/histogram-quantile.js";
import { computeServeStats } from "../../src/ui/serve-stats.js";
import { gpuSample } from "./fixtures.js";

// Latency buckets in seconds, as the server's histogram has them (shortened).
const BOUNDS = [0.01, 0.05, 0.1, 0.5, 1];

function latency(cumulative: number[], count: number, sum = 0): HistogramTotals {
  return { bounds: BOUNDS, cumulative, count, sum };
}

function snapshot(overrides: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    requests: 0,
    serverErrors: 0,
    latency: latency([0, 0, 0, 0, 0], 0),
    batches: 0,
    batchedImages: 0,
    queueDepth: 0,
    inFlight: 0,
    ...overrides,
  };
}

describe("histogramQuantile (bucket-interpolated, like PromQL)", () => {
  it("interpolates linearly inside the bucket that holds the rank", () => {
    // 10 observations: 4 in (0, 0.01], 6 in (0.01, 0.05].
    const cumulative = [4, 10, 10, 10, 10];
    // Rank 5 is the 1st of 6 in the second bucket: 0.01 + 0.04 × 1/6.
    expect(histogramQuantile(0.5, BOUNDS, cumulative, 10)).toBeCloseTo(0.01 + 0.04 / 6, 10);
    // Rank 2 of 4 in the first bucket, which starts at 0.
    expect(histogramQuantile(0.2, BOUNDS, cumulative, 10)).toBeCloseTo(0.005, 10);
    expect(histogramQuantile(1, BOUNDS, cumulative, 10)).toBeCloseTo(0.05, 10);
  });

  it("skips empty leading buckets and answers the largest bound for the +Inf bucket", () => {
    expect(histogramQuantile(0.5, BOUNDS, [0, 0, 2, 2, 2], 2)).toBeCloseTo(0.075, 10);
    // 1 of 2 observations beyond 1 s: p99 lands in +Inf, reported as the last finite bound.
    expect(histogramQuantile(0.99, BOUNDS, [1, 1, 1, 1, 1], 2)).toBe(1);
  });

  it("is null without observations", () => {
    expect(histogramQuantile(0.5, BOUNDS, [0, 0, 0, 0, 0], 0)).toBeNull();
    expect(histogramQuantile(0.5, [], [], 3)).toBeNull();
  });
});

describe("computeServeStats", () => {
  it("turns two snapshots into the interval's rate, percentiles, error share and batch size", () => {
    const before = snapshot({
      requests: 100,
      serverErrors: 1,
      latency: latency([50, 90, 100, 100, 100], 100),
      batches: 20,
      batchedImages: 100,
    });
    const after = snapshot({
      // 40 more requests over 2 s, 2 of them 5xx; all 40 took 0.1–0.5 s.
      requests: 140,
      serverErrors: 3,
      latency: latency([50, 90, 100, 140, 140], 140),
      batches: 30,
      batchedImages: 140,
      queueDepth: 5,
      inFlight: 8,
    });
    const stats = computeServeStats(before, after, 2000);
    expect(stats.requestsPerSecond).toBe(20);
    // Only the interval's 40 requests count: rank 20 of 40 in (0.1, 0.5] → 0.3 s; rank 39.6 → 0.496 s.
    expect(stats.p50Ms).toBeCloseTo(300, 6);
    expect(stats.p99Ms).toBeCloseTo(496, 6);
    expect(stats.errorRate).toBeCloseTo(0.05, 10);
    expect(stats.meanBatchSize).toBe(4);
    expect(stats.queueDepth).toBe(5);
    expect(stats.inFlight).toBe(8);
    expect(stats).toMatchObject({ gpus: [], process: null, note: null });
  });

  it("an idle interval has a zero rate and no percentiles, error share or batch size", () => {
    const same = snapshot({
      requests: 7,
      latency: latency([7, 7, 7, 7, 7], 7),
      batches: 2,
      batchedImages: 7,
    });
    const stats = computeServeStats(same, same, 1000);
    expect(stats).toMatchObject({
      requestsPerSecond: 0,
      p50Ms: null,
      p99Ms: null,
      errorRate: null,
      meanBatchSize: null,
    });
  });

  it("without a previous snapshot covers the whole run, and carries the GPU reading", () => {
    const now = snapshot({
      requests: 10,
      latency: latency([10, 10, 10, 10, 10], 10),
      batches: 5,
      batchedImages: 10,
    });
    const gpu = { gpus: [gpuSample()], process: { cpuPercent: 50, rssBytes: 1 }, note: null };
    const stats = computeServeStats(null, now, 5000, gpu);
    expect(stats.requestsPerSecond).toBe(2);
    expect(stats.p50Ms).toBeCloseTo(5, 6);
    expect(stats.meanBatchSize).toBe(2);
    expect(stats.gpus).toEqual([gpuSample()]);
    expect(stats.process).toEqual({ cpuPercent: 50, rssBytes: 1 });
  });

  it("never reports negative rates, and a zero-length interval has rate 0", () => {
    const stats = computeServeStats(snapshot({ requests: 9 }), snapshot({ requests: 3 }), 0);
    expect(stats.requestsPerSecond).toBe(0);
    expect(stats.errorRate).toBeNull();
  });
});

describe("ServerMetrics.snapshot", () => {
  it("sums routes, counts 5xx, leaves probes and scrapes out and reads the embedder's gauges", () => {
    const metrics = createServerMetrics();
    metrics.watchEmbedder({ queueDepth: 2, inFlight: 3 });
    metrics.requests.inc({ route: "/v1/search", method: "POST", status: "200" }, 3);
    metrics.requests.inc({ route: "/v1/search", method: "POST", status: "503" });
    metrics.requests.inc({ route: "/healthz", method: "GET", status: "200" }, 50);
    for (const seconds of [0.004, 0.02, 0.2, 2]) metrics.latency.observe(seconds, { route: "/v1/search" });
    metrics.latency.observe(0.001, { route: "/healthz" });
    metrics.batchSize.observe(3);
    metrics.batchSize.observe(1);
    const snap = metrics.snapshot();
    expect(snap).toMatchObject({
      requests: 4,
      serverErrors: 1,
      batches: 2,
      batchedImages: 4,
      queueDepth: 2,
      inFlight: 3,
    });
    expect(snap.latency.count).toBe(4);
    // Buckets 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, …: cumulative, /healthz left out.
    expect(snap.latency.cumulative.slice(0, 7)).toEqual([1, 1, 2, 2, 2, 3, 3]);
    // The Prometheus text still has every route.
    expect(metrics.render()).toContain(
      'mosaic_http_requests_total{method="GET",route="/healthz",status="200"} 50',
    );
  });
});
