import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AttemptLimiter, RateLimitedError } from './limits.js';

const IP = '1.2.3.4';

/** Seconds the key is blocked for (0: not blocked). */
const blockedFor = (l: AttemptLimiter, ip = IP) =>
  l.check('join', [ip]).then(
    () => 0,
    (e: unknown) => (e instanceof RateLimitedError ? e.retryAfter : -1),
  );

describe('AttemptLimiter (memory)', () => {
  it('blocks after `limit` failures and doubles the block each time (backoff), up to the maximum', async () => {
    const l = await AttemptLimiter.create({
      prefix: 't',
      log: pino({ level: 'silent' }),
      settings: { join: { limit: 3, windowMs: 60_000, blockMs: 2000, maxBlockMs: 5000 } },
    });
    // Ends a block without waiting for it; the strike count stays.
    const entries = (l as unknown as { memory: { entries: Map<string, { blockedUntil: number }> } }).memory
      .entries;
    const endBlock = () => (entries.get(`join:${IP}`)!.blockedUntil = 0);
    const blocks: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) {
        expect(await blockedFor(l)).toBe(0);
        await l.record('join', [IP]);
      }
      blocks.push(await blockedFor(l));
      endBlock();
    }
    expect(blocks).toEqual([2, 4, 5]);
    expect(await blockedFor(l, '5.6.7.8')).toBe(0);
    await l.close();
  });
});
