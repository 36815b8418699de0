// Figures from noisy machines: every figure is the median of several rounds,
// shown with the smallest and largest round so the spread is visible.

export type Spread = { median: number; min: number; max: number };

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of raw samples. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Round-by-round ratios, then their spread: a ratio of medians would hide how they moved together. */
export function ratioSpread(numerators: readonly number[], denominators: readonly number[]): Spread {
  return spread(numerators.map((value, round) => value / denominators[round]!));
}

/**
 * Round r runs the contenders starting from the r-th, so none is always first
 * (warm caches, a neighbour's burst of load) or always last.
 */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const start = round % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}
