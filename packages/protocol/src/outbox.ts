import { LIMITS } from './messages.js';
import type { BatchMessage, SelfReportMessage, SequencedMessage, TelemetryMessage } from './messages.js';

/** A telemetry message before the outbox numbers it. */
export type UnsequencedTelemetry = Omit<TelemetryMessage, 'seq'>;
/** A self-report before the outbox numbers it. */
export type UnsequencedSelfReport = Omit<SelfReportMessage, 'seq'>;

/** Outbox options. */
export interface OutboxOptions {
  /**
   * Soft bound on unacknowledged messages kept. Above it the oldest plain samples are thinned
   * (status changes and self-reports are never dropped, so the bound can be exceeded by them alone).
   * Default 3,000 (12.5 minutes at 4 Hz).
   */
  maxItems?: number;
  /** Largest replay batch in items (default and maximum `LIMITS.maxBatchItems`). */
  maxBatchItems?: number;
  /** Largest replay batch in serialized JSON bytes (default and maximum `LIMITS.maxBatchBytes`). */
  maxBatchBytes?: number;
}

interface Entry {
  msg: SequencedMessage;
  /** Status changes and self-reports: never thinned. */
  keep: boolean;
}

/** UTF-8 byte length of a string (no TextEncoder: this package has no DOM or Node imports). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * The student's telemetry outbox (pure, no I/O). It numbers messages (`seq` from 1), keeps every
 * message until the server acknowledges it, thins the oldest plain samples when too many pile up
 * while offline, and yields replay batches within `LIMITS`.
 *
 * Use: `push()` each message and, when connected, send `live(msg)` of the returned one; on `ack` call
 * `ack(seq)`; on `welcome` call `resume(lastSeq, maxSeq)` then send every batch of `replay()`.
 */
export class Outbox {
  private entries: Entry[] = [];
  private nextSeq = 1;
  private acked = 0;
  private lastStatusKey: string | null = null;
  /** Seqs from here up to the next one sent were never this outbox's: the next message declares them. */
  private declareFrom: number | null = null;
  /** A welcome was applied: the server's seqs and this outbox's are the same numbering. */
  private welcomed = false;
  private readonly maxItems: number;
  private readonly maxBatchItems: number;
  private readonly maxBatchBytes: number;
  /** Number of messages dropped by thinning so far. */
  thinned = 0;

  constructor(options: OutboxOptions = {}) {
    this.maxItems = Math.max(10, options.maxItems ?? 3000);
    this.maxBatchItems = Math.min(
      LIMITS.maxBatchItems,
      Math.max(1, options.maxBatchItems ?? LIMITS.maxBatchItems),
    );
    this.maxBatchBytes = Math.min(
      LIMITS.maxBatchBytes,
      Math.max(1024, options.maxBatchBytes ?? LIMITS.maxBatchBytes),
    );
  }

  /** Highest sequence number the server acknowledged (0 = none). */
  get lastAcked(): number {
    return this.acked;
  }

  /** Number of unacknowledged messages held. */
  get size(): number {
    return this.entries.length;
  }

  /** Highest sequence number assigned so far (0 = none). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The unacknowledged messages, oldest first. */
  pending(): readonly SequencedMessage[] {
    return this.entries.map((e) => e.msg);
  }

  /** Numbers a message, keeps it until acknowledged and returns it (send it live when connected). */
  push(message: UnsequencedTelemetry | UnsequencedSelfReport): SequencedMessage {
    const msg = { ...message, seq: this.nextSeq++ } as SequencedMessage;
    let keep = true;
    if (msg.type === 'telemetry') {
      const key = `${msg.status}|${msg.alert ?? ''}`;
      keep = key !== this.lastStatusKey;
      this.lastStatusKey = key;
    }
    this.entries.push({ msg, keep });
    if (this.entries.length > this.maxItems) this.thin();
    return msg;
  }

  /** The server stored everything up to and including `seq`: forget it. */
  ack(seq: number): void {
    if (seq <= this.acked) return;
    this.acked = Math.min(seq, this.lastSeq);
    let i = 0;
    while (i < this.entries.length && this.entries[i]!.msg.seq <= this.acked) i++;
    if (i > 0) this.entries.splice(0, i);
  }

  /**
   * Applies a `welcome`: the server stored everything up to `lastSeq` and has seen seqs up to `maxSeq`
   * (default `lastSeq`). At its first welcome an outbox is fresh (a new page, or a reloaded one with the
   * same token): it renumbers what it holds above `maxSeq`, and its next batch declares (with `from`) that
   * the seqs between `lastSeq` and its own are not coming from it, so the server stops waiting for them.
   * At a later welcome it is a reconnect: everything up to `lastSeq` is acked and the rest is replayed;
   * when the server says less than this outbox saw acknowledged (it restarted and its stored `lastSeq`
   * lagged), the next batch declares the seqs between as accounted for: they were stored before.
   */
  resume(lastSeq: number, maxSeq = lastSeq): void {
    const seen = Math.max(lastSeq, maxSeq);
    const fresh = !this.welcomed || seen >= this.nextSeq;
    this.welcomed = true;
    if (fresh) {
      let seq = seen;
      for (const e of this.entries) e.msg = { ...e.msg, seq: ++seq };
      this.nextSeq = seq + 1;
      this.acked = lastSeq;
      this.declareFrom = lastSeq + 1;
      return;
    }
    if (lastSeq < this.acked) this.declareFrom = lastSeq + 1;
    this.ack(lastSeq);
  }

  /**
   * What to send for a message just pushed while connected: the message itself, or a one-item batch whose
   * `from` declares seqs this outbox never had (after a fresh `resume` with nothing to replay).
   */
  live(msg: SequencedMessage): SequencedMessage | BatchMessage {
    if (this.declareFrom === null) return msg;
    const from = this.declareFrom;
    this.declareFrom = null;
    return { type: 'batch', from: Math.min(from, msg.seq), items: [msg] };
  }

  /**
   * Replay batches of every unacknowledged message, oldest first, each within the item and byte limits.
   * Each batch's `from` says which sequence numbers it accounts for (gaps were thinned).
   */
  replay(): BatchMessage[] {
    const batches: BatchMessage[] = [];
    let from = this.declareFrom ?? this.acked + 1;
    let items: SequencedMessage[] = [];
    let bytes = 64;
    for (const { msg } of this.entries) {
      const size = utf8Length(JSON.stringify(msg)) + 1;
      if (items.length > 0 && (items.length >= this.maxBatchItems || bytes + size > this.maxBatchBytes)) {
        batches.push({ type: 'batch', from, items });
        from = items[items.length - 1]!.seq + 1;
        items = [];
        bytes = 64;
      }
      items.push(msg);
      bytes += size;
    }
    if (items.length > 0) batches.push({ type: 'batch', from, items });
    if (batches.length > 0) this.declareFrom = null;
    return batches;
  }

  /** Drops every other plain sample, oldest first, until the outbox is back to 3/4 of its bound. */
  private thin(): void {
    const target = Math.floor(this.maxItems * 0.75);
    let excess = this.entries.length - target;
    while (excess > 0) {
      const kept: Entry[] = [];
      let plainSeen = 0;
      let dropped = 0;
      for (const e of this.entries) {
        if (excess > 0 && !e.keep && plainSeen++ % 2 === 1) {
          excess--;
          dropped++;
          continue;
        }
        kept.push(e);
      }
      this.entries = kept;
      this.thinned += dropped;
      if (dropped === 0) return;
    }
  }
}
