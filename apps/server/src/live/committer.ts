/**
 * The write-behind committer: takes the rooms' pending writes every `FLUSH_MS`, commits them in one
 * transaction, and only then lets the acks go out. Nothing taken is ever dropped for a transient failure:
 * it goes back to its room and is retried with back-off while storage is reported down. A write that
 * fails because of its data (SQLSTATE class 22 or 23) is isolated room by room, then student by student,
 * then row by row, so one bad row cannot block a class; rows that cannot be stored at all are reported
 * (their seqs refused to the student) and the rest commit.
 */
import type { Logger } from 'pino';
import { batchRows, type WriteBatch } from '../records.js';
import type { PendingWrites, SessionRoom } from './room.js';

/**
 * How often pending writes are committed (and acks sent), ms. Every two seconds: every commit has a
 * fixed cost (a transaction, the write-ahead log) and every ack is one socket write per student, the
 * largest single cost of a full instance after reading the messages (bench:capacity at 2,500 students on
 * PostgreSQL: 1 s gave 75-77 µs of CPU per message, 2 s 63-70 µs). A device holds two more seconds of
 * samples (a few KB), and nothing the teacher sees waits for it (status changes and samples go out before
 * they are stored).
 */
export const FLUSH_MS = 2000;
/** Back-off after a failed commit: first wait and the most it grows to, ms. */
export const RETRY_MS = { first: 250, max: 5000 } as const;
/**
 * Rows (samples, status changes, alerts) waiting for storage beyond which new messages are refused with
 * `UNAVAILABLE` (the clients keep them). About 20-40 MB.
 */
const MAX_PENDING_ROWS = 20_000;

/** Where writes go: the repository's `writeBatch`. */
export interface WriteTarget {
  writeBatch(batch: WriteBatch): Promise<void>;
}

/** What the committer tells its owner. */
export interface CommitterHooks {
  /** The rooms whose writes to take. */
  rooms(): Iterable<SessionRoom>;
  /** A room's writes are durably stored: `acks` may go out now. */
  committed(room: SessionRoom, acks: ReadonlyMap<string, number>): void;
  /** Rows of a student that can never be stored (their data is invalid): tell the student. */
  rejected(room: SessionRoom, participantId: string, seqs: number[], reason: string): void;
  /** Storage went down (a commit failed for a reason other than its data) or came back. */
  storage(ok: boolean, err?: unknown): void;
  /** A room had nothing to write in this flush (it may be unloaded). */
  idle(room: SessionRoom): void;
}

/** The SQLSTATE of a database error (drizzle wraps the driver's error as `cause`), if any. */
function sqlState(err: unknown): string | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * A database error as it may be logged: its SQLSTATE and the driver's own message, never the query's
 * parameters (drizzle puts every row of the batch in its message: student data has no place in logs).
 */
export function describeError(err: unknown): { code: string | null; message: string } {
  let e: unknown = err;
  for (
    let depth = 0;
    depth < 5 && e && typeof e === 'object' && 'cause' in e && (e as { cause?: unknown }).cause;
    depth++
  )
    e = (e as { cause: unknown }).cause;
  const message = e instanceof Error ? e.message : String(e);
  return { code: sqlState(err), message: message.slice(0, 300) };
}

/**
 * True when a write failed because of what it writes (data exception, class 22; integrity constraint,
 * class 23: e.g. a value out of range, or a row of a session deleted meanwhile): retrying the same rows
 * cannot help. Everything else (connection lost, read-only, timeouts, unknown) counts as transient.
 */
export function isDataError(err: unknown): boolean {
  const state = sqlState(err);
  return state !== null && (state.startsWith('22') || state.startsWith('23'));
}

function splitByStudent(w: PendingWrites): PendingWrites[] {
  const parts = new Map<string, PendingWrites>();
  const part = (id: string) => {
    let p = parts.get(id);
    if (!p) {
      p = { samples: [], statusChanges: [], alerts: [], participants: [], acks: new Map() };
      parts.set(id, p);
    }
    return p;
  };
  for (const r of w.samples) part(r.participantId).samples.push(r);
  for (const r of w.statusChanges) part(r.participantId).statusChanges.push(r);
  for (const r of w.alerts) part(r.participantId).alerts.push(r);
  for (const r of w.participants) part(r.id).participants.push(r);
  for (const [id, seq] of w.acks) part(id).acks.set(id, seq);
  return [...parts.values()];
}

const EMPTY: WriteBatch = { samples: [], statusChanges: [], alerts: [], participants: [] };

/** Commits rooms' writes; see the module comment. */
export class Committer {
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private failures = 0;
  private retryAt = 0;
  private down = false;
  private waiting = 0;

  constructor(
    private readonly target: WriteTarget,
    private readonly hooks: CommitterHooks,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
    private readonly maxPendingRows = MAX_PENDING_ROWS,
    private readonly observe?: (rows: number) => (ok: boolean) => void,
  ) {}

  /** True while storage is considered down (the last commit failed for a transient reason). */
  get storageDown(): boolean {
    return this.down;
  }

  /** Rows waiting in rooms while storage is down (as of the last flush). */
  get pendingRows(): number {
    return this.waiting;
  }

  /** True while storage is down and the rows waiting for it have reached their bound. */
  get full(): boolean {
    return this.down && this.waiting >= this.maxPendingRows;
  }

  /**
   * Commits every room's pending writes, then acknowledges. Serialized: at most one runs and one waits,
   * and callers arriving meanwhile share the waiting one. While storage is down, a flush before the
   * back-off has passed does nothing unless `force` (shutdown, or a caller that must know).
   */
  flush(force = false): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.chain
      .then(() => {
        this.queued = null;
        return this.flushOnce(force);
      })
      .catch((err: unknown) => {
        this.log.error({ err }, 'flush failed');
      });
    this.queued = next;
    this.chain = next;
    return next;
  }

  private async flushOnce(force: boolean): Promise<void> {
    const now = this.clock();
    if (this.down && !force && now < this.retryAt) {
      let rows = 0;
      for (const room of this.hooks.rooms()) rows += room.pendingRows;
      this.waiting = rows;
      return;
    }
    const pending: Array<[SessionRoom, PendingWrites]> = [];
    for (const room of this.hooks.rooms()) {
      const w = room.takeWrites(now, force);
      if (batchRows(w) > 0) pending.push([room, w]);
      else this.hooks.idle(room);
    }
    if (pending.length === 0) {
      if (this.down) this.recovered();
      return;
    }
    const batch: WriteBatch = {
      samples: pending.flatMap(([, w]) => w.samples),
      statusChanges: pending.flatMap(([, w]) => w.statusChanges),
      alerts: pending.flatMap(([, w]) => w.alerts),
      participants: pending.flatMap(([, w]) => w.participants),
    };
    const done = this.observe?.(batchRows(batch));
    try {
      await this.target.writeBatch(batch);
      done?.(true);
    } catch (err) {
      done?.(false);
      if (!isDataError(err)) return this.failed(err, pending);
      this.log.warn({ err: describeError(err) }, 'batch write refused for its data; isolating');
      return this.isolate(pending);
    }
    for (const [room, w] of pending) this.hooks.committed(room, w.acks);
    if (this.down) this.recovered();
  }

  /** Writes room by room, then student by student, then row by row; see the module comment. */
  private async isolate(pending: Array<[SessionRoom, PendingWrites]>): Promise<void> {
    for (let i = 0; i < pending.length; i++) {
      const [room, w] = pending[i]!;
      try {
        await this.target.writeBatch(w);
        this.hooks.committed(room, w.acks);
        continue;
      } catch (err) {
        if (!isDataError(err)) return this.failed(err, pending.slice(i));
      }
      const students = splitByStudent(w);
      for (let j = 0; j < students.length; j++) {
        const part = students[j]!;
        try {
          await this.target.writeBatch(part);
          this.hooks.committed(room, part.acks);
        } catch (err) {
          if (!isDataError(err)) {
            const rest = students.slice(j);
            return this.failed(err, [[room, mergeParts(rest)], ...pending.slice(i + 1)]);
          }
          // On a transient failure rowByRow puts back what it did not write; the rest goes back here.
          if (!(await this.rowByRow(room, part))) {
            return this.failed(new Error('storage failed while isolating a bad row'), [
              [room, mergeParts(students.slice(j + 1))],
              ...pending.slice(i + 1),
            ]);
          }
        }
      }
    }
    if (this.down) this.recovered();
  }

  /**
   * One student's rows, one at a time. Rows refused for their data are dropped and reported; the rest
   * commit, then the student's ack goes out. False (nothing reported, all restored by the caller) when a
   * transient failure interrupts it.
   */
  private async rowByRow(room: SessionRoom, part: PendingWrites): Promise<boolean> {
    const bad: number[] = [];
    let reason = '';
    const one = async (batch: WriteBatch, seq: number | null): Promise<boolean> => {
      try {
        await this.target.writeBatch(batch);
        return true;
      } catch (err) {
        if (!isDataError(err)) return false;
        const why = describeError(err);
        this.log.error({ err: why, sessionId: room.sessionId }, 'a row cannot be stored; refusing it');
        reason = why.message;
        if (seq !== null) bad.push(seq);
        return true;
      }
    };
    // Rows already written here are idempotent on retry (samples de-duplicate by seq, alerts and live
    // rows are upserts); status changes are not, which is why a transient failure restores only the rest.
    for (let k = 0; k < part.samples.length; k++) {
      if (!(await one({ ...EMPTY, samples: [part.samples[k]!] }, part.samples[k]!.seq))) {
        room.restoreWrites({ ...part, samples: part.samples.slice(k) });
        return false;
      }
    }
    for (let k = 0; k < part.statusChanges.length; k++) {
      const c = part.statusChanges[k]!;
      if (!(await one({ ...EMPTY, statusChanges: [c] }, c.seq))) {
        room.restoreWrites({ ...part, samples: [], statusChanges: part.statusChanges.slice(k) });
        return false;
      }
    }
    for (const a of part.alerts) {
      if (!(await one({ ...EMPTY, alerts: [a] }, null))) {
        room.restoreWrites({ ...part, samples: [], statusChanges: [] });
        return false;
      }
    }
    for (const p of part.participants) {
      if (!(await one({ ...EMPTY, participants: [p] }, null))) {
        room.restoreWrites({ ...part, samples: [], statusChanges: [], alerts: [] });
        return false;
      }
    }
    const id =
      part.participants[0]?.id ?? part.samples[0]?.participantId ?? part.statusChanges[0]?.participantId;
    if (id && bad.length > 0) this.hooks.rejected(room, id, [...new Set(bad)], reason);
    this.hooks.committed(room, part.acks);
    return true;
  }

  private failed(err: unknown, pending: Array<[SessionRoom, WriteBatch]>): void {
    for (const [room, w] of pending) room.restoreWrites(w);
    let rows = 0;
    for (const room of this.hooks.rooms()) rows += room.pendingRows;
    this.waiting = rows;
    this.failures++;
    this.retryAt = this.clock() + Math.min(RETRY_MS.max, RETRY_MS.first * 2 ** (this.failures - 1));
    if (!this.down) {
      this.down = true;
      this.log.error({ err: describeError(err), rows }, 'storage unavailable: keeping writes and retrying');
      this.hooks.storage(false, new Error(describeError(err).message));
    } else {
      this.log.warn({ err: describeError(err), rows, failures: this.failures }, 'storage still unavailable');
    }
  }

  private recovered(): void {
    this.down = false;
    this.failures = 0;
    this.waiting = 0;
    this.log.info('storage available again');
    this.hooks.storage(true);
  }
}

function mergeParts(parts: PendingWrites[]): WriteBatch {
  return {
    samples: parts.flatMap((p) => p.samples),
    statusChanges: parts.flatMap((p) => p.statusChanges),
    alerts: parts.flatMap((p) => p.alerts),
    participants: parts.flatMap((p) => p.participants),
  };
}
