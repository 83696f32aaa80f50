import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { shutdown } from './shutdown.js';

const log = pino({ level: 'silent' });

describe('shutdown', () => {
  it('runs every step in order; one that never finishes is forced and the rest still run, within the deadline', async () => {
    const ran: string[] = [];
    const t0 = Date.now();
    await shutdown(
      [
        { name: 'a', run: () => void ran.push('a') },
        {
          name: 'stuck',
          run: () => new Promise(() => ran.push('stuck')),
          force: () => ran.push('forced'),
          maxMs: 300,
        },
        { name: 'failing', run: () => Promise.reject(new Error('no')), force: () => ran.push('failed') },
        { name: 'last', run: async () => void ran.push('last') },
      ],
      2000,
      log,
    );
    expect(ran).toEqual(['a', 'stuck', 'forced', 'failed', 'last']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(5000); // bounded: the stuck step alone would never end
  });

  it('past the deadline each later step still gets a short turn', async () => {
    const ran: string[] = [];
    await shutdown(
      [
        { name: 'stuck', run: () => new Promise(() => {}), force: () => ran.push('forced') },
        {
          name: 'quick',
          run: () => new Promise<void>((r) => setTimeout(r, 20)).then(() => void ran.push('quick')),
        },
      ],
      200,
      log,
    );
    expect(ran).toEqual(['forced', 'quick']);
  });
});
