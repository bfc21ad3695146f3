import { execFile } from "node:child_process";
import type { FeaturizeEvent, GpuSample } from "../contracts/events.js";
import { createProcessStats, type ProcessStats } from "./process-stats.js";

export const NVIDIA_SMI = "nvidia-smi";
export const NVIDIA_SMI_ARGS: readonly string[] = [
  "--query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw",
  "--format=csv,noheader,nounits",
];

/**
 * Parses `nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,
 * power.draw --format=csv,noheader,nounits`. Values nvidia-smi can't read ("[N/A]", "[Not Supported]")
 * become NaN, so one missing sensor doesn't hide the rest. Lines that aren't GPU rows are skipped.
 */
export function parseNvidiaSmiCsv(text: string): GpuSample[] {
  const gpus: GpuSample[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const fields = raw.split(",").map((f) => f.trim());
    if (fields.length < 7) continue;
    // A name containing commas spreads over several fields; the five numbers are always last.
    const tail = fields.slice(-5);
    const index = Number.parseInt(fields[0] ?? "", 10);
    if (!/^\d+$/.test(fields[0] ?? "") || !Number.isFinite(index)) continue;
    const [utilization, memoryUsed, memoryTotal, temperature, power] = tail.map(reading);
    gpus.push({
      index,
      name: fields.slice(1, -5).join(", "),
      utilization: utilization ?? Number.NaN,
      memoryUsedMiB: memoryUsed ?? Number.NaN,
      memoryTotalMiB: memoryTotal ?? Number.NaN,
      temperatureC: temperature ?? Number.NaN,
      powerW: power ?? Number.NaN,
    });
  }
  return gpus;
}

function reading(field: string): number {
  const value = Number(field.replace(/\s*(%|MiB|W|C)$/i, ""));
  return field === "" || !Number.isFinite(value) ? Number.NaN : value;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** How the probe runs a program; rejects with a Node exec error (code, killed, stdout, stderr). */
export type ExecFileFn = (
  file: string,
  args: readonly string[],
  options: { signal: AbortSignal; timeoutMs: number; env: NodeJS.ProcessEnv | undefined },
) => Promise<ExecResult>;

export const execFileText: ExecFileFn = (file, args, options) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        encoding: "utf8",
        signal: options.signal,
        timeout: options.timeoutMs,
        env: options.env,
        windowsHide: true,
        maxBuffer: 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) reject(Object.assign(error, { stdout, stderr }));
        else resolve({ stdout, stderr });
      },
    );
  });

export interface GpuProbeResult {
  gpus: GpuSample[];
  /** Why there are no GPUs, for people; null when there are. */
  note: string | null;
  /** The answer won't change while this process runs (no nvidia-smi, no GPU): stop asking. */
  final: boolean;
}

export interface ProbeGpusOptions {
  exec?: ExecFileFn;
  /** Environment for nvidia-smi, PATH included; process.env by default. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Asks nvidia-smi once. Never rejects: every failure becomes a note saying why there is no GPU data. */
export async function probeGpus(options: ProbeGpusOptions = {}): Promise<GpuProbeResult> {
  const exec = options.exec ?? execFileText;
  try {
    const { stdout } = await exec(NVIDIA_SMI, NVIDIA_SMI_ARGS, {
      signal: options.signal ?? new AbortController().signal,
      timeoutMs: options.timeoutMs ?? 5000,
      env: options.env,
    });
    const gpus = parseNvidiaSmiCsv(stdout);
    if (gpus.length > 0) return { gpus, note: null, final: false };
    return { gpus, note: "no NVIDIA GPU found (nvidia-smi lists none)", final: true };
  } catch (error) {
    return { gpus: [], ...explain(error) };
  }
}

function explain(error: unknown): { note: string; final: boolean } {
  const e = (error ?? {}) as {
    code?: unknown;
    killed?: boolean;
    stdout?: unknown;
    stderr?: unknown;
    name?: unknown;
  };
  if (e.code === "ENOENT") return { note: "no NVIDIA GPU found (nvidia-smi not on PATH)", final: true };
  if (e.code === "EACCES") return { note: "no NVIDIA GPU data (nvidia-smi is not executable)", final: true };
  if (e.name === "AbortError") return { note: "GPU probe stopped", final: false };
  if (e.killed === true) return { note: "no GPU data (nvidia-smi timed out)", final: false };
  const said = firstLine(e.stdout) ?? firstLine(e.stderr);
  const code = typeof e.code === "number" ? ` with code ${e.code}` : "";
  // nvidia-smi exits non-zero when the driver is missing or no device is present; that won't change.
  return { note: `no NVIDIA GPU found (nvidia-smi failed${code}${said ? `: ${said}` : ""})`, final: true };
}

function firstLine(text: unknown): string | undefined {
  if (typeof text !== "string") return undefined;
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.length > 0);
}

export type GpuEvent = Extract<FeaturizeEvent, { type: "gpu" }>;

export interface GpuPollerOptions {
  /** Time between the end of one sample and the start of the next. */
  intervalMs?: number;
  onSample: (event: GpuEvent) => void;
  exec?: ExecFileFn;
  processStats?: ProcessStats;
  env?: NodeJS.ProcessEnv;
  /** Event timestamps (ms since epoch). */
  now?: () => number;
  timeoutMs?: number;
}

export interface GpuPoller {
  start(): void;
  stop(): void;
}

/**
 * Samples nvidia-smi every `intervalMs` and reports `gpu` events with this process's CPU/RSS. Without
 * an NVIDIA GPU it keeps reporting process stats with a note, and stops spawning nvidia-smi. Its timer
 * is unref'd so it never keeps the process alive; stop() also kills a sample in flight.
 */
export function createGpuPoller(options: GpuPollerOptions): GpuPoller {
  const intervalMs = options.intervalMs ?? 1000;
  const stats = options.processStats ?? createProcessStats();
  const now = options.now ?? Date.now;
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: AbortController | null = null;
  let settled: GpuProbeResult | null = null;

  const tick = async () => {
    timer = null;
    const controller = new AbortController();
    inFlight = controller;
    const result =
      settled ??
      (await probeGpus({
        exec: options.exec,
        env: options.env,
        signal: controller.signal,
        timeoutMs: options.timeoutMs,
      }));
    if (inFlight === controller) inFlight = null;
    if (!running || controller.signal.aborted) return;
    if (result.final) settled = result;
    options.onSample({
      type: "gpu",
      at: now(),
      gpus: result.gpus,
      process: stats.sample(),
      note: result.note,
    });
    if (running) {
      timer = setTimeout(tick, intervalMs);
      timer.unref();
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      void tick();
    },
    stop() {
      running = false;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      inFlight?.abort();
      inFlight = null;
    },
  };
}
