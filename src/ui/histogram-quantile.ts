/**
 * Estimates the q-quantile (0..1) of the observations in a Prometheus-style histogram, the way
 * PromQL's histogram_quantile does: find the bucket holding the rank, then interpolate linearly inside
 * it (the first bucket starts at 0). The answer is only as fine as the buckets: an estimate, not a
 * measured percentile. Ranks in the +Inf bucket answer the largest finite bound. Null with no
 * observations.
 *
 * @param cumulative `cumulative[i]` counts observations ≤ `bounds[i]` (ascending bounds).
 * @param count all observations, the +Inf bucket included.
 */
export function histogramQuantile(
  q: number,
  bounds: readonly number[],
  cumulative: readonly number[],
  count: number,
): number | null {
  if (!(count > 0) || bounds.length === 0) return null;
  const rank = Math.min(1, Math.max(0, q)) * count;
  let below = 0;
  for (let i = 0; i < bounds.length; i++) {
    const upper = bounds[i] ?? 0;
    const upTo = cumulative[i] ?? below;
    if (upTo >= rank && upTo > 0) {
      const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0);
      const inBucket = upTo - below;
      return inBucket > 0 ? lower + ((upper - lower) * Math.max(0, rank - below)) / inBucket : upper;
    }
    below = upTo;
  }
  return bounds[bounds.length - 1] ?? null;
}
