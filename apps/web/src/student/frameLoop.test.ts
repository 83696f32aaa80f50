import { describe, expect, it } from 'vitest';
import { nextStart } from './frameLoop.js';

describe('frame loop cadence', () => {
  it('plans from the previous plan, so timer lateness does not lower the rate', () => {
    let plan = nextStart(null, 1000, 200);
    expect(plan).toBe(1000);
    // Each tick fires 30 ms late: the plan keeps a 200 ms cadence.
    for (let i = 1; i <= 10; i++) plan = nextStart(plan, 1000 + i * 200 + 30, 200);
    expect(plan).toBe(3000);
  });

  it('never plans a start after the actual one, and restarts when more than an interval behind', () => {
    expect(nextStart(1000, 1100, 200)).toBe(1100); // early start (rate just rose): the plan is now
    expect(nextStart(1000, 1350, 200)).toBe(1200); // 150 ms late: keep the cadence
    expect(nextStart(1000, 1500, 200)).toBe(1500); // 300 ms late (> 1 interval behind): restart
  });
});
