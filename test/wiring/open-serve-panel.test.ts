import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openServePanel } from "../../src/wiring/open-serve-panel.js";
import { createServerMetrics } from "../../src/server/server-metrics.js";
import { MemoryStream, stripAnsi } from "../ui/fixtures.js";

describe("openServePanel", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "mosaic-panel-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("is not mounted when nobody watches: no panel, no GPU polling, no log file", async () => {
    const stream = new MemoryStream(false);
    const startGpu = vi.fn(() => ({ stop() {} }));
    const cacheDir = path.join(dir, "cache");
    const session = await openServePanel({
      interactive: false,
      stream,
      env: {},
      color: false,
      cacheDir,
      signal: new AbortController().signal,
      startGpu,
    });
    expect(session).toBeNull();
    expect(startGpu).not.toHaveBeenCalled();
    expect(stream.text).toBe("");
    await expect(stat(cacheDir)).rejects.toThrow();
  });

  it("when interactive, sends logs to <cacheDir>/serve.log, draws the panel and stops it on close", async () => {
    const stream = new MemoryStream(true);
    const stop = vi.fn();
    const controller = new AbortController();
    const cacheDir = path.join(dir, "cache");
    const session = await openServePanel({
      interactive: true,
      stream,
      env: {},
      color: false,
      cacheDir,
      signal: controller.signal,
      startGpu: (onSample) => {
        onSample({
          gpus: [],
          process: { cpuPercent: 7, rssBytes: 300 * 1024 ** 2 },
          note: "no NVIDIA GPU found",
        });
        return { stop };
      },
      intervalMs: 60_000,
    });
    expect(session).not.toBeNull();
    const logFile = path.join(cacheDir, "serve.log");
    expect(session?.logFile).toBe(logFile);
    session?.logStream.write('{"msg":"request completed"}\n');
    const metrics = createServerMetrics();
    session?.monitor.listening({ url: "http://127.0.0.1:9", artworks: 3, readMetrics: metrics.snapshot });
    session?.monitor.ready();
    controller.abort();
    await session?.close();
    await session?.close();
    expect(stop).toHaveBeenCalledTimes(1);
    const text = stripAnsi(stream.text);
    expect(text).toContain("no NVIDIA GPU found");
    expect(text).toContain("CPU 7% · RSS 300 MiB");
    expect(text).toContain(`stopped · logs → ${logFile}`);
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/^Served 0 requests in .* · logs in .*serve\.log$/);
    // The log lines went to the file, not the terminal.
    expect(text).not.toContain("request completed");
    expect(await readFile(logFile, "utf8")).toBe('{"msg":"request completed"}\n');
  });

  it("falls back to plain logs, saying why, when the log file can't be written", async () => {
    const stream = new MemoryStream(true);
    const startGpu = vi.fn(() => ({ stop() {} }));
    // A file where the cache directory should be.
    const blocked = path.join(dir, "file");
    await writeFile(blocked, "");
    const session = await openServePanel({
      interactive: true,
      stream,
      env: {},
      color: false,
      cacheDir: blocked,
      signal: new AbortController().signal,
      startGpu,
    });
    expect(session).toBeNull();
    expect(startGpu).not.toHaveBeenCalled();
    expect(stream.text).toMatch(/^No live panel: can't write the request log to .*serve\.log \(.+\)\n$/);
  });
});
