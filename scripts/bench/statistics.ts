/** The figures `npm run bench` prints, from one run's response times. Pure, so they can be unit-tested. */

export interface LatencySummary {
  /** Successful (2xx) answers that came back within the measured window. */
  count: number;
  /** Milliseconds, nearest-rank percentiles; null when nothing succeeded. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  /** Successful answers a second over the whole window (not per client). */
  rps: number;
}

/**
 * The nearest-rank percentile: the smallest sample with at least p% of the samples at or below it.
 * `sorted` must be in ascending order. Null for no samples; p outside 0–100 is a programming error.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be between 0 and 100, not ${p}`);
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** p50, p95, p99, max and requests a second of the response times (ms) measured over `seconds`. */
export function summarise(latenciesMs: readonly number[], seconds: number): LatencySummary {
  if (!(seconds > 0)) throw new RangeError(`a measurement lasts more than 0 seconds, not ${seconds}`);
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : null,
    rps: sorted.length / seconds,
  };
}

/**
 * A route's throughput as a share of the bare route's, measured side by side in the same window (so a
 * busy machine slows both alike). Null when the bare route answered nothing: no ratio can be given.
 */
export function throughputRatio(route: { rps: number }, bare: { rps: number }): number | null {
  return bare.rps > 0 ? route.rps / bare.rps : null;
}
