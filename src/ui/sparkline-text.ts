const BLOCKS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;

export interface SparklineOptions {
  /** Value drawn as a full block; defaults to 100 (percentages). */
  max?: number;
  /** Most characters to draw; longer series are averaged into this many buckets. */
  width?: number;
}

/**
 * Unicode block sparkline of `values` scaled to 0..max. Non-finite values (nvidia-smi "[N/A]") draw a
 * space so a gap in the data stays visible instead of pretending to be zero.
 */
export function sparklineText(values: readonly number[], options: SparklineOptions = {}): string {
  const max = options.max ?? 100;
  const width = options.width ?? 30;
  return bucket(values, width)
    .map((v) => {
      if (!Number.isFinite(v)) return " ";
      const level = Math.round((Math.min(max, Math.max(0, v)) / max) * (BLOCKS.length - 1));
      return BLOCKS[level] ?? " ";
    })
    .join("");
}

function bucket(values: readonly number[], width: number): number[] {
  if (width <= 0) return [];
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let b = 0; b < width; b++) {
    const from = Math.floor((b * values.length) / width);
    const to = Math.floor(((b + 1) * values.length) / width);
    const slice = values.slice(from, to).filter(Number.isFinite);
    out.push(slice.length === 0 ? Number.NaN : slice.reduce((a, v) => a + v, 0) / slice.length);
  }
  return out;
}
