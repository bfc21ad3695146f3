import { EventEmitter } from "node:events";
import type { EngineInfo, FeaturizeEvent, FeaturizeSummary, GpuSample } from "../../src/contracts/events.js";

export const engine: EngineInfo = { model: "resnet50", device: "cuda", batchSize: 32, threads: 4 };

export function gpuSample(overrides: Partial<GpuSample> = {}): GpuSample {
  return {
    index: 0,
    name: "NVIDIA H100 80GB HBM3",
    utilization: 87,
    memoryUsedMiB: 10240,
    memoryTotalMiB: 81559,
    temperatureC: 54,
    powerW: 310.5,
    ...overrides,
  };
}

export function summary(overrides: Partial<FeaturizeSummary> = {}): FeaturizeSummary {
  return {
    rowsRead: 500,
    indexed: 480,
    failed: 20,
    failuresByReason: { http_404: 12, timeout: 8 },
    outDir: "./out",
    seconds: 62,
    dryRun: false,
    interrupted: false,
    ...overrides,
  };
}

/** A short run: start at t=1000, download progress, two failures, a gpu sample, stage end, done. */
export function sampleRun(): FeaturizeEvent[] {
  return [
    { type: "start", at: 1000, engine, catalog: "catalog.csv", total: 500 },
    { type: "progress", at: 1500, stage: "download", done: 10, failed: 0, total: 500 },
    { type: "progress", at: 3500, stage: "download", done: 50, failed: 0, total: 500 },
    {
      type: "item-failed",
      at: 3600,
      stage: "download",
      row: 17,
      id: "abc",
      reason: "http_404",
      message: "HTTP 404 Not Found",
    },
    {
      type: "item-failed",
      at: 3700,
      stage: "download",
      row: 18,
      id: undefined,
      reason: "timeout",
      message: "no response in 30s",
    },
    {
      type: "gpu",
      at: 4000,
      gpus: [gpuSample()],
      process: { cpuPercent: 120, rssBytes: 512 * 1024 ** 2 },
      note: null,
    },
    { type: "stage-done", at: 11_000, stage: "download", done: 480, failed: 20 },
    { type: "done", at: 12_000, summary: summary() },
  ];
}

/** Collects everything written, like stderr would show it. */
export class MemoryStream extends EventEmitter {
  chunks: string[] = [];
  columns = 120;
  rows = 40;
  constructor(readonly isTTY = false) {
    super();
  }
  write = (chunk: string): boolean => {
    this.chunks.push(chunk);
    return true;
  };
  // Cursor methods ora calls on a TTY stream.
  cursorTo(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
  clearLine(): boolean {
    return true;
  }
  get text(): string {
    return this.chunks.join("");
  }
}

export const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}
