/** Small statistics helpers shared by the benchmark sections. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): { median: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((s, x) => s + x, 0) / Math.max(1, samples.length);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

export const ms = (x: number) => `${x < 1 ? x.toFixed(3) : x.toFixed(1)} ms`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A figure rounded for a JSON report. */
export const round = (n: number, digits = 2) => Number(n.toFixed(digits));
