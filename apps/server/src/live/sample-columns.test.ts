import { describe, expect, it } from 'vitest';
import { SampleColumns } from './sample-columns.js';

describe('SampleColumns', () => {
  it('gives back the samples pushed, in order, a missing score as null, and holds none afterwards', () => {
    const c = new SampleColumns();
    c.push('p1', 1_764_000_000_123, 1_764_000_000_100.5, 1, 0.25, 'focused');
    c.push('p2', 1_764_000_000_124, 1_764_000_000_101, 7, null, 'no-signal');
    c.push('p1', 1_764_000_000_373, 1_764_000_000_350, 2, 0, 'confused');
    expect(c.length).toBe(3);
    expect(c.take()).toEqual([
      {
        participantId: 'p1',
        t: 1_764_000_000_123,
        ct: 1_764_000_000_100.5,
        seq: 1,
        score: 0.25,
        status: 'focused',
      },
      {
        participantId: 'p2',
        t: 1_764_000_000_124,
        ct: 1_764_000_000_101,
        seq: 7,
        score: null,
        status: 'no-signal',
      },
      {
        participantId: 'p1',
        t: 1_764_000_000_373,
        ct: 1_764_000_000_350,
        seq: 2,
        score: 0,
        status: 'confused',
      },
    ]);
    expect(c.length).toBe(0);
    expect(c.take()).toEqual([]);
  });

  it('reuses its columns: a fan-out after a larger one gives only the new samples', () => {
    const c = new SampleColumns();
    for (let i = 1; i <= 5; i++) c.push(`p${i}`, i, i, i, 0.5, 'focused');
    expect(c.take()).toHaveLength(5);
    c.push('q', 9, 9, 9, 1, 'alert');
    expect(c.take()).toEqual([{ participantId: 'q', t: 9, ct: 9, seq: 9, score: 1, status: 'alert' }]);
  });
});
