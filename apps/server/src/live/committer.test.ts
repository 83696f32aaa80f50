import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { SessionSettings } from '@smartsession/protocol';
import { participantRow } from '../../test/support/room.js';
import { telemetry } from '../../test/support/telemetry.js';
import type { WriteBatch } from '../records.js';
import { Committer, describeError, isDataError, RETRY_MS } from './committer.js';
import { SessionRoom } from './room.js';

const settings: SessionSettings = { mode: 'support', emotion: 'on', lookAwaySeconds: 4, anonymous: false };
const log = pino({ level: 'silent' });

class SqlError extends Error {
  constructor(readonly code: string) {
    super(`sqlstate ${code}`);
  }
}

function setup() {
  let now = 1_000_000;
  let ids = 0;
  const room = new SessionRoom('s1', settings, null, () => `a${++ids}`);
  room.load(participantRow('p1', 1));
  room.load(participantRow('p2', 2));
  room.connect('p1', now);
  room.connect('p2', now);
  const written: WriteBatch[] = [];
  const target = {
    fail: null as null | ((b: WriteBatch) => Error | null),
    async writeBatch(b: WriteBatch) {
      const err = this.fail?.(b);
      if (err) throw err;
      written.push(b);
    },
  };
  const acks: Array<[string, number]> = [];
  const rejected: Array<[string, number[]]> = [];
  const storage: boolean[] = [];
  const committer = new Committer(
    target,
    {
      rooms: () => [room],
      committed: (r, a) => {
        r.committed(a);
        for (const [id, seq] of a) acks.push([id, seq]);
      },
      rejected: (_r, id, seqs) => rejected.push([id, seqs]),
      storage: (ok) => storage.push(ok),
      idle: () => {},
    },
    log,
    () => now,
    10,
  );
  return {
    room,
    target,
    committer,
    written,
    acks,
    rejected,
    storage,
    advance: (ms: number) => (now += ms),
    get now() {
      return now;
    },
  };
}

describe('Committer', () => {
  it('classifies SQLSTATE classes 22 and 23 as data errors, everything else as transient', () => {
    expect(isDataError(new SqlError('22003'))).toBe(true);
    expect(isDataError({ cause: new SqlError('23503') })).toBe(true);
    expect(isDataError(new SqlError('25006'))).toBe(false);
    expect(isDataError(new SqlError('57P01'))).toBe(false);
    expect(isDataError(new Error('connection terminated'))).toBe(false);
  });

  it('logs and reports a database error without the rows it was writing', () => {
    const wrapped = Object.assign(new Error('Failed query: insert … params: [{"name":"Ada Lovelace"}]'), {
      cause: Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }),
    });
    const d = describeError(wrapped);
    expect(d).toEqual({ code: '25006', message: 'cannot execute INSERT in a read-only transaction' });
    expect(JSON.stringify(d)).not.toContain('Ada');
  });

  it('a transient failure keeps every write, acks nothing, backs off, and commits everything once storage is back', async () => {
    const c = setup();
    await c.committer.flush(true);
    c.acks.length = 0;
    c.target.fail = () => new SqlError('25006');
    c.room.ingest('p1', telemetry(1, 'focused', { t: c.now }), c.now);
    await c.committer.flush(true);
    expect(c.acks).toEqual([]);
    expect(c.storage).toEqual([false]);
    expect(c.committer.storageDown).toBe(true);
    // More arrives while down; a flush before the back-off does nothing.
    c.room.ingest('p1', telemetry(2, 'confused', { t: c.now + 1000 }), c.now);
    await c.committer.flush();
    expect(c.committer.pendingRows).toBe(4); // two samples, two status changes
    c.advance(RETRY_MS.first);
    c.target.fail = null;
    await c.committer.flush();
    expect(c.storage).toEqual([false, true]);
    expect(c.acks).toEqual([['p1', 2]]);
    expect(c.written.at(-1)!.samples.map((s) => s.seq)).toEqual([1, 2]);
  });

  it('is full when rows waiting for storage reach the bound', async () => {
    const c = setup();
    c.target.fail = () => new SqlError('08006');
    for (let i = 1; i <= 12; i++)
      c.room.ingest('p1', telemetry(i, 'focused', { t: c.now + i * 1000 }), c.now);
    await c.committer.flush(true);
    expect(c.committer.full).toBe(true);
  });

  it('a row that cannot be stored is isolated: refused to its student, the rest commits and is acked', async () => {
    const c = setup();
    await c.committer.flush(true);
    c.acks.length = 0;
    c.target.fail = (b) =>
      b.samples.some((s) => s.participantId === 'p1' && s.seq === 2) ? new SqlError('22003') : null;
    for (let i = 1; i <= 3; i++) {
      c.room.ingest('p1', telemetry(i, 'focused', { t: c.now + i * 1000 }), c.now);
      c.room.ingest('p2', telemetry(i, 'focused', { t: c.now + i * 1000 }), c.now);
    }
    await c.committer.flush(true);
    expect(c.rejected).toEqual([['p1', [2]]]);
    expect(c.acks.sort()).toEqual([
      ['p1', 3],
      ['p2', 3],
    ]);
    const stored = c.written.flatMap((b) => b.samples.map((s) => `${s.participantId}:${s.seq}`)).sort();
    expect(stored).toEqual(['p1:1', 'p1:3', 'p2:1', 'p2:2', 'p2:3']);
    expect(c.storage).toEqual([]);
  });
});
