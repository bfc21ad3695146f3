/** Text formatting shared by the plain reporter and the Ink components, so both say the same thing. */

const countFormat = new Intl.NumberFormat("en-US");

/** 12345 → "12,345". Locale is fixed so output is stable across machines and tests. */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** Seconds as "0.4s", "12s", "1m 05s" or "2h 03m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const total = Math.round(seconds);
  if (total < 3600) {
    const m = Math.floor(total / 60);
    return `${m}m ${String(total % 60).padStart(2, "0")}s`;
  }
  const h = Math.floor(total / 3600);
  return `${h}h ${String(Math.floor((total % 3600) / 60)).padStart(2, "0")}m`;
}

/** Whole-second clock for elapsed time: "0:07", "12:30", "1:02:03". */
export function formatClock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Items per second with precision that fits the magnitude; "–/s" before a rate is known. */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return "–/s";
  if (rate >= 100) return `${Math.round(rate)}/s`;
  if (rate >= 10) return `${rate.toFixed(1)}/s`;
  return `${rate.toFixed(2)}/s`;
}

export function formatEta(seconds: number | null): string {
  return seconds === null ? "ETA –" : `ETA ${formatDuration(seconds)}`;
}

/** A fraction 0..1 as "42%"; "–" when unknown. */
export function formatFraction(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return "–";
  return `${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

/** A percentage that may be NaN (nvidia-smi "[N/A]"): "87%" or "n/a". */
export function formatPercent(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)}%` : "n/a";
}

/** Bytes in the unit that keeps them readable: "312 B", "41 KiB", "512 MiB", "1.5 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "n/a";
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 ** 2) return `${Math.round(bytes / 1024)} KiB`;
  const mib = bytes / 1024 ** 2;
  return mib < 1024 ? `${Math.round(mib)} MiB` : `${(mib / 1024).toFixed(1)} GiB`;
}

/** GPU memory used/total from MiB values: "10.0/79.6 GiB". */
export function formatMemory(usedMiB: number, totalMiB: number): string {
  const gib = (mib: number) => (Number.isFinite(mib) ? (mib / 1024).toFixed(1) : "n/a");
  return `${gib(usedMiB)}/${gib(totalMiB)} GiB`;
}

export function formatTemperature(celsius: number): string {
  return Number.isFinite(celsius) ? `${Math.round(celsius)}°C` : "n/a °C";
}

export function formatPower(watts: number): string {
  return Number.isFinite(watts) ? `${Math.round(watts)} W` : "n/a W";
}

export function formatLatency(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "– ms";
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

const DEVICE_LABELS: Record<string, string> = { cpu: "CPU", webgpu: "WebGPU", cuda: "CUDA", gpu: "GPU" };

/** Engine device names as people write them: "cuda" → "CUDA", "webgpu" → "WebGPU". */
export function formatDevice(device: string): string {
  return DEVICE_LABELS[device.toLowerCase()] ?? device;
}

/** A fixed-width bar; an unknown total draws an empty track rather than guessing. */
export function progressBar(fraction: number | null, width: number): string {
  if (fraction === null || !Number.isFinite(fraction)) return "░".repeat(width);
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return "█".repeat(filled) + "░".repeat(width - filled);
}

/**
 * Untrusted text (error messages, server replies) on one line: control characters, including ESC of
 * ANSI sequences, become spaces so a message can neither break the layout nor colour the terminal.
 */
export function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
}

/** A share 0..1 where small values matter (error rates): "0%", "0.4%", "12%"; "–" when unknown. */
export function formatShare(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return "–";
  const percent = fraction * 100;
  if (percent === 0 || percent >= 10) return `${Math.round(percent)}%`;
  return `${percent.toFixed(1)}%`;
}
