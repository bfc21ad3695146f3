import type { ProcessSample } from "../contracts/events.js";

export interface ProcessStatsOptions {
  /** Cumulative CPU time in microseconds; process.cpuUsage by default. */
  cpuUsage?: () => { user: number; system: number };
  /** Resident set size in bytes; process.memoryUsage.rss by default. */
  rss?: () => number;
  /** Monotonic milliseconds; performance.now by default. */
  now?: () => number;
}

export interface ProcessStats {
  /** CPU % since the previous sample (100 = one core busy) and current RSS. */
  sample(): ProcessSample;
}

/** CPU and memory of this process, shown in place of GPU data when there is no GPU. */
export function createProcessStats(options: ProcessStatsOptions = {}): ProcessStats {
  const cpuUsage = options.cpuUsage ?? (() => process.cpuUsage());
  const rss = options.rss ?? (() => process.memoryUsage.rss());
  const now = options.now ?? (() => performance.now());
  let lastCpu = cpuUsage();
  let lastAt = now();
  return {
    sample() {
      const cpu = cpuUsage();
      const at = now();
      const cpuMicros = cpu.user - lastCpu.user + (cpu.system - lastCpu.system);
      const wallMicros = (at - lastAt) * 1000;
      lastCpu = cpu;
      lastAt = at;
      const cpuPercent = wallMicros > 0 ? Math.max(0, (cpuMicros / wallMicros) * 100) : 0;
      return { cpuPercent: Math.round(cpuPercent * 10) / 10, rssBytes: rss() };
    },
  };
}
