import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createGpuPoller } from "../infra/gpu-probe.js";
import type { GpuReading } from "../ui/serve-stats.js";
import { createServePanelReporter } from "../ui/serve-panel-reporter.js";
import type { Env } from "../ui/terminal-env.js";
import type { TextStream } from "../ui/text-stream.js";
import type { ServeMonitor } from "../server/serve.js";

export interface OpenServePanelOptions {
  /** Context.interactive: the Ink reporter's rule (TTY stderr with columns, not CI, not --json or --no-tui). */
  interactive: boolean;
  /** stderr. */
  stream: TextStream;
  env: Env;
  color: boolean;
  /** The request log goes to serve.log here while the panel owns the terminal. */
  cacheDir: string;
  /** Shutdown (SIGTERM / SIGINT): the panel says it is stopping. */
  signal: AbortSignal;
  /** Starts GPU / process sampling; createGpuPoller (once a second) by default. */
  startGpu?: (onSample: (reading: GpuReading) => void) => { stop(): void };
  intervalMs?: number;
}

export interface ServePanelSession {
  monitor: ServeMonitor;
  /** Where Fastify's JSON logs go instead of the terminal the panel draws on. */
  logStream: NodeJS.WritableStream;
  logFile: string;
  /** Last frame, a summary line, then the GPU poller stopped and the log file flushed. */
  close(): Promise<void>;
}

/**
 * The live serve panel, or null when nobody watches (then logs stay on stderr and nothing else is drawn).
 * Pino writes a JSON line per request; on the panel's terminal those would tear the frame apart, so
 * while the panel is up they are appended to `<cacheDir>/serve.log` instead (named on the panel).
 */
export async function openServePanel(options: OpenServePanelOptions): Promise<ServePanelSession | null> {
  if (!options.interactive) return null;
  const logFile = path.join(options.cacheDir, "serve.log");
  let logStream: WriteStream | undefined;
  try {
    await mkdir(options.cacheDir, { recursive: true });
    logStream = createWriteStream(logFile, { flags: "a" });
    await once(logStream, "open");
  } catch (error) {
    logStream?.destroy();
    // Without somewhere else for the logs, a panel would be garbled: keep the plain logs instead.
    const reason = error instanceof Error ? error.message : String(error);
    options.stream.write(`No live panel: can't write the request log to ${logFile} (${reason})\n`);
    return null;
  }
  const panel = createServePanelReporter(options.stream, {
    env: options.env,
    color: options.color,
    intervalMs: options.intervalMs,
    logFile,
  });
  const startGpu = options.startGpu ?? ((onSample) => startGpuPoller(options.env, onSample));
  const gpu = startGpu((reading) => panel.gpu(reading));
  const onAbort = () => panel.stopping();
  options.signal.addEventListener("abort", onAbort, { once: true });
  const log = logStream;
  let closed = false;
  return {
    monitor: panel,
    logStream: log,
    logFile,
    async close() {
      if (closed) return;
      closed = true;
      options.signal.removeEventListener("abort", onAbort);
      gpu.stop();
      await panel.close();
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}

function startGpuPoller(env: Env, onSample: (reading: GpuReading) => void): { stop(): void } {
  const poller = createGpuPoller({ onSample, env: { ...env } });
  poller.start();
  return poller;
}
