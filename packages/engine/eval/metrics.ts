/** Small pure statistics for the evaluation (tested in metrics.test.ts). */

/**
 * Area under the ROC curve of `scores` for `labels` (true = positive): the probability that a random
 * positive scores above a random negative, ties counting half. NaN without both classes.
 */
export function auc(scores: readonly number[], labels: readonly boolean[]): number {
  const pos = scores.filter((_, i) => labels[i]);
  const neg = scores.filter((_, i) => !labels[i]);
  if (!pos.length || !neg.length) return NaN;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/** The q-quantile (0..1, nearest rank) of `values`; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))] ?? NaN;
}

/** Median (nearest rank). */
export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Largest value, NaN when empty. */
export function max(values: readonly number[]): number {
  const v = values.filter(Number.isFinite);
  return v.length ? Math.max(...v) : NaN;
}
