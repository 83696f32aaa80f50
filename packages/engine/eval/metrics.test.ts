import { describe, expect, it } from 'vitest';
import { auc, max, median, quantile } from './metrics.js';

describe('evaluation statistics', () => {
  it('AUC: 1 for a perfect ranking, 0.5 for ties, NaN without both classes', () => {
    expect(auc([0.9, 0.8, 0.1, 0.2], [true, true, false, false])).toBe(1);
    expect(auc([0.1, 0.2, 0.9, 0.8], [true, true, false, false])).toBe(0);
    expect(auc([0.5, 0.5], [true, false])).toBe(0.5);
    expect(auc([0.3, 0.7, 0.9], [true, false, true])).toBe(0.5);
    expect(auc([1, 2], [true, true])).toBeNaN();
  });
  it('quantiles by nearest rank, ignoring NaN', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(quantile([1, 2, 3, 4, 5, NaN], 0.9)).toBe(5);
    expect(max([1, NaN, 4])).toBe(4);
    expect(median([])).toBeNaN();
  });
});
