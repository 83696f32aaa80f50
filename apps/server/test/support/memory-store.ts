/**
 * An in-memory stand-in for the database, for driving the real hub and room in tests without a database
 * process: the subset of the repository the hub uses, with PostgreSQL's checks that matter here (bigint
 * range → SQLSTATE 22003, missing participant → 23503, one transaction per batch) and injectable faults:
 * an outage (every write fails with 25006, as a read-only failover does) and poisoned rows (a data error
 * for rows matching a predicate). The fault tests against real PGlite and PostgreSQL are in
 * `faults.*.test.ts`; this store is for the seeded fuzz, which needs thousands of steps per second.
 */
import type { AlertRow, ParticipantRow, SessionRow } from '../../src/db/repository.js';
import type { LiveStore } from '../../src/live/hub.js';
import type { FrameResult } from '@smartsession/protocol';
import type { AlertState, SampleWrite, StatusChangeWrite, WriteBatch } from '../../src/records.js';

/** A sample as stored: its frame read back from the JSON text it is written as (as jsonb does). */
type StoredSample = Omit<SampleWrite, 'frame'> & { frame: FrameResult | null };

/** Largest int8 as a double (2^63; PostgreSQL refuses anything at or above it). */
const INT8_MAX = 2 ** 63;

class SqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function int8(v: number | null | undefined, what: string): void {
  if (v === null || v === undefined) return;
  if (!Number.isFinite(v) || Math.abs(v) >= INT8_MAX || !Number.isInteger(v))
    throw new SqlError('22003', `value "${v}" is out of range for type bigint (${what})`);
}

/** The in-memory store; see the module comment. */
export class MemoryStore implements LiveStore {
  readonly sessions = new Map<string, SessionRow>();
  readonly participants = new Map<string, ParticipantRow>();
  /** Samples by `participantId:seq` (a duplicate is skipped, as `on conflict do nothing`). */
  readonly samples = new Map<string, StoredSample>();
  readonly statusChanges: StatusChangeWrite[] = [];
  readonly alerts = new Map<string, AlertState>();
  /** While true, every write fails as on a read-only database. */
  down = false;
  /** Rows for which a write fails with a data error. */
  poison: ((row: SampleWrite | StatusChangeWrite) => boolean) | null = null;
  /** Commits so far (successful `writeBatch` calls). */
  commits = 0;
  /** `participantId:seq` of rows refused for their data (the hub isolates and refuses exactly those). */
  readonly poisoned = new Set<string>();

  addSession(row: SessionRow): void {
    this.sessions.set(row.id, row);
  }

  addParticipant(row: ParticipantRow): void {
    this.participants.set(row.id, row);
  }

  async getSession(id: string): Promise<SessionRow | null> {
    return this.sessions.get(id) ?? null;
  }

  async getParticipant(id: string): Promise<ParticipantRow | null> {
    const p = this.participants.get(id);
    return p ? { ...p } : null;
  }

  async listParticipants(sessionId: string): Promise<ParticipantRow[]> {
    return [...this.participants.values()]
      .filter((p) => p.sessionId === sessionId)
      .sort((a, b) => a.number - b.number)
      .map((p) => ({ ...p }));
  }

  async listAlerts(sessionId: string, opts: { since?: number } = {}): Promise<AlertRow[]> {
    return [...this.alerts.values()]
      .filter(
        (a) =>
          a.sessionId === sessionId &&
          (opts.since === undefined || a.endedAt === null || a.endedAt >= opts.since),
      )
      .map((a) => ({ ...a }));
  }

  async listMarkers(): Promise<[]> {
    return [];
  }

  async listSessionsWithLiveParticipants(): Promise<string[]> {
    return [];
  }

  async latestStored(sessionId: string): Promise<Map<string, { seq: number; t: number }>> {
    const out = new Map<string, { seq: number; t: number }>();
    const rows = [...this.samples.values(), ...this.statusChanges].filter((r) => r.sessionId === sessionId);
    for (const r of rows) {
      if (r.seq === null) continue;
      const cur = out.get(r.participantId);
      out.set(r.participantId, { seq: Math.max(cur?.seq ?? 0, r.seq), t: Math.max(cur?.t ?? 0, r.t) });
    }
    return out;
  }

  async writeBatch(batch: WriteBatch): Promise<void> {
    if (this.down) throw new SqlError('25006', 'cannot execute INSERT in a read-only transaction');
    // Check everything first: a batch is one transaction, all or nothing.
    for (const r of [...batch.samples, ...batch.statusChanges]) {
      if (!this.participants.has(r.participantId))
        throw new SqlError('23503', 'insert violates foreign key constraint');
      int8(r.t, 't');
      int8(r.seq, 'seq');
      if ('ct' in r) int8(r.ct, 'ct');
      if (this.poison?.(r)) {
        this.poisoned.add(`${r.participantId}:${r.seq}`);
        throw new SqlError('22003', `poisoned row ${r.participantId}:${r.seq}`);
      }
    }
    for (const a of batch.alerts) {
      int8(a.startedAt, 'started_at');
      int8(a.endedAt, 'ended_at');
    }
    for (const p of batch.participants) {
      int8(p.lastSeq, 'last_seq');
      int8(p.statusSince, 'status_since');
      int8(p.clockOffset, 'clock_offset');
    }
    this.commits++;
    for (const s of batch.samples) {
      const key = `${s.participantId}:${s.seq}`;
      if (!this.samples.has(key))
        this.samples.set(key, {
          ...s,
          frame: s.frame === null ? null : (JSON.parse(s.frame) as FrameResult),
        });
    }
    for (const c of batch.statusChanges) {
      // A replayed status change (same participant and seq) is stored once, as the unique index does.
      if (
        c.seq !== null &&
        this.statusChanges.some((x) => x.participantId === c.participantId && x.seq === c.seq)
      )
        continue;
      this.statusChanges.push({ ...c });
    }
    for (const a of batch.alerts) {
      const cur = this.alerts.get(a.id);
      this.alerts.set(
        a.id,
        cur
          ? {
              ...cur,
              endedAt: a.endedAt ?? cur.endedAt,
              acknowledgedAt: cur.acknowledgedAt ?? a.acknowledgedAt,
            }
          : { ...a },
      );
    }
    for (const p of batch.participants) {
      const cur = this.participants.get(p.id);
      if (!cur) continue;
      this.participants.set(p.id, {
        ...cur,
        lastSeq: Math.max(cur.lastSeq, p.lastSeq),
        status: p.status,
        alert: p.alert,
        reason: p.reason,
        statusSince: p.statusSince,
        connected: p.connected,
        lastSeenAt: p.lastSeenAt,
        lostSince: p.lostSince,
        clockOffset: p.clockOffset ?? cur.clockOffset,
      });
    }
  }
}
