/**
 * The student side of the protocol, transport-free: numbering and keeping messages (the {@link Outbox}),
 * the welcome and its replay, acks, hold/resume while the server's storage is down, and back-off after a
 * refusal the server wants retried. The student page, the simulator and the tests wrap it around their
 * socket; time is passed in, and `nextWakeAt` says when `tick` must run next.
 */
import type { ErrorInfo, ServerToStudentMessage, SettingsMessage, WelcomeMessage } from './messages.js';
import type { BatchMessage, SequencedMessage } from './messages.js';
import {
  Outbox,
  type OutboxOptions,
  type UnsequencedSelfReport,
  type UnsequencedTelemetry,
} from './outbox.js';

/** What the client tells its owner. */
export type StudentClientEvent =
  | { type: 'welcome'; welcome: WelcomeMessage }
  | { type: 'settings'; settings: SettingsMessage }
  | { type: 'ended' }
  /** The server refused a message for good (`seq` when it said which). */
  | { type: 'refused'; error: ErrorInfo; seq: number | undefined }
  /** The server's storage is down (`true`) or back (`false`): acks pause, nothing is lost. */
  | { type: 'hold'; holding: boolean };

/** Refusals after which re-sending a message cannot help (the session ended: the client stops). */
const ENDED = 'SESSION_ENDED';
/** Longest wait before re-sending after `UNAVAILABLE` when no `resume` came, ms. */
const UNAVAILABLE_RETRY_MS = 10_000;

/** Counters for the page's transparency panel and for tests. */
export interface StudentClientStats {
  /** Welcomed on the current connection (messages go out live). */
  live: boolean;
  /** The server's storage is down (it said `hold`). */
  holding: boolean;
  lastSeq: number;
  lastAcked: number;
  pending: number;
  thinned: number;
  /** Messages refused for good so far. */
  refused: number;
}

/** Timers for a client that wakes itself (the page's `setTimeout`); tests drive `tick` instead. */
export interface ClientTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  now(): number;
}

/**
 * One student's protocol state. Feed it the transport's events (`connected`, `disconnected`, `receive`)
 * and the page's messages (`push`); it calls `send` with what goes on the wire. With `timers` it runs its
 * own back-off wake-ups; without, the owner calls `tick` (see `nextWakeAt`).
 */
export class StudentProtocolClient {
  readonly outbox: Outbox;
  private live = false;
  private holding = false;
  private ended = false;
  /** While set, nothing is sent live: a refusal asked to wait until then (or until `resume`). */
  private pausedUntil: number | null = null;
  private waitForResume = false;
  private backoffs = 0;
  private refusedCount = 0;
  private wake: unknown = null;

  constructor(
    private readonly send: (payload: SequencedMessage | BatchMessage) => void,
    private readonly onEvent: (event: StudentClientEvent) => void = () => {},
    options: { outbox?: OutboxOptions; timers?: ClientTimers } = {},
  ) {
    this.outbox = new Outbox(options.outbox);
    this.timers = options.timers ?? null;
  }

  private readonly timers: ClientTimers | null;

  /** The transport connected: wait for the server's welcome before sending. */
  connected(): void {
    this.live = false;
  }

  /** The transport dropped: keep everything until the next welcome. */
  disconnected(): void {
    this.live = false;
  }

  /** True once the session ended (nothing more is sent). */
  get stopped(): boolean {
    return this.ended;
  }

  /** Numbers `message`, keeps it until acknowledged, and sends it now when allowed. */
  push(message: UnsequencedTelemetry | UnsequencedSelfReport): SequencedMessage {
    const msg = this.outbox.push(message);
    if (this.live && this.pausedUntil === null && !this.ended) this.send(this.outbox.live(msg));
    return msg;
  }

  /** When `tick` must run next (a back-off ends), or null. */
  get nextWakeAt(): number | null {
    return this.pausedUntil;
  }

  /** Runs what is due at `now`: after a back-off, everything unacknowledged is sent again. */
  tick(now: number): void {
    if (this.pausedUntil !== null && now >= this.pausedUntil) this.replayNow();
  }

  /** Stops the self-scheduled wake-up (the owner closes its transport). */
  dispose(): void {
    if (this.wake !== null) this.timers?.clear(this.wake);
    this.wake = null;
  }

  private scheduleWake(): void {
    const t = this.timers;
    if (!t || this.wake !== null || this.pausedUntil === null) return;
    this.wake = t.set(
      () => {
        this.wake = null;
        this.tick(t.now());
        this.scheduleWake();
      },
      Math.max(0, this.pausedUntil - t.now()),
    );
  }

  /** Handles one message from the server (already validated). */
  receive(msg: ServerToStudentMessage, now: number): void {
    if (this.ended) return;
    switch (msg.type) {
      case 'welcome':
        this.outbox.resume(msg.lastSeq, msg.maxSeq);
        this.live = true;
        this.replayNow();
        this.onEvent({ type: 'welcome', welcome: msg });
        return;
      case 'ack':
        // Before this connection's welcome an ack may speak of another page's seqs (a reload): ignore it.
        if (!this.live) return;
        if (msg.seq > this.outbox.lastAcked) this.backoffs = 0;
        this.outbox.ack(msg.seq);
        return;
      case 'settings':
        this.onEvent({ type: 'settings', settings: msg });
        return;
      case 'session_ended':
        this.end();
        return;
      case 'hold':
        this.setHolding(true);
        return;
      case 'resume':
        this.setHolding(false);
        if (this.waitForResume) this.replayNow();
        return;
      case 'error':
        this.refusal(msg.error, msg.seq, now);
        return;
    }
  }

  /** Counters (see {@link StudentClientStats}). */
  stats(): StudentClientStats {
    return {
      live: this.live,
      holding: this.holding,
      lastSeq: this.outbox.lastSeq,
      lastAcked: this.outbox.lastAcked,
      pending: this.outbox.size,
      thinned: this.outbox.thinned,
      refused: this.refusedCount,
    };
  }

  private refusal(error: ErrorInfo, seq: number | undefined, now: number): void {
    if (error.code === ENDED) return this.end();
    if (error.code === 'RATE_LIMITED' || error.code === 'UNAVAILABLE') {
      // The message is still in the outbox; stop sending live (the server processes seqs in order) and
      // send everything again after a back-off: 0.5 s doubling to 8 s, or at `resume` for UNAVAILABLE.
      if (this.pausedUntil !== null) return;
      const wait =
        error.code === 'UNAVAILABLE' ? UNAVAILABLE_RETRY_MS : Math.min(8000, 500 * 2 ** this.backoffs);
      this.backoffs = Math.min(this.backoffs + 1, 4);
      this.waitForResume = error.code === 'UNAVAILABLE';
      this.pausedUntil = now + wait;
      if (error.code === 'UNAVAILABLE') this.setHolding(true);
      this.scheduleWake();
      return;
    }
    this.refusedCount++;
    this.onEvent({ type: 'refused', error, seq });
  }

  private replayNow(): void {
    this.pausedUntil = null;
    this.waitForResume = false;
    if (!this.live || this.ended) return;
    for (const batch of this.outbox.replay()) this.send(batch);
  }

  private setHolding(holding: boolean): void {
    if (this.holding === holding) return;
    this.holding = holding;
    this.onEvent({ type: 'hold', holding });
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.live = false;
    this.pausedUntil = null;
    this.dispose();
    this.onEvent({ type: 'ended' });
  }
}
