/**
 * Telemetry client (I/O shell around the pure {@link Outbox}): one Socket.IO connection with the student
 * token, every message numbered by the outbox, sent live while connected, kept while offline and
 * replayed in batches after the server's `welcome`; `ack` lets the outbox forget what is stored.
 */
import {
  MESSAGE_EVENT,
  Outbox,
  PROTOCOL_VERSION,
  ServerToStudentMessage,
  ErrorInfo,
  type SequencedMessage,
  type SettingsMessage,
  type UnsequencedSelfReport,
  type UnsequencedTelemetry,
  type WelcomeMessage,
} from '@smartsession/protocol';
import { io, type Socket } from 'socket.io-client';

/** What the client tells the page. */
export type TelemetryEvent =
  | { type: 'connection'; connected: boolean }
  | { type: 'welcome'; welcome: WelcomeMessage }
  | { type: 'settings'; settings: SettingsMessage }
  | { type: 'ended' }
  | { type: 'refused'; error: ErrorInfo };

/** Counters for the page's transparency panel and for tests. */
export interface TelemetryStats {
  connected: boolean;
  lastSeq: number;
  lastAcked: number;
  pending: number;
  thinned: number;
  /** Serialized JSON bytes handed to the socket so far. */
  bytesSent: number;
}

/** Options of {@link TelemetryClient}. */
export interface TelemetryClientOptions {
  token: string;
  /** The student agreed to emotion reading (told to the server in the handshake; default no). */
  emotionConsent?: boolean;
  /** Server origin; default the page's own. */
  url?: string;
  onEvent: (event: TelemetryEvent) => void;
}

/** Refusals after which reconnecting cannot help. */
const FATAL: ReadonlySet<string> = new Set([
  'INVALID_TOKEN',
  'SESSION_ENDED',
  'PROTOCOL_MISMATCH',
  'BAD_HANDSHAKE',
]);

/** Sends the student's telemetry and self-reports; survives disconnections without losing any. */
export class TelemetryClient {
  readonly outbox = new Outbox();
  private socket: Socket | null = null;
  private live = false;
  private stopped = false;
  private bytes = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private resendTimer: ReturnType<typeof setTimeout> | null = null;
  /** Consecutive `RATE_LIMITED` back-offs without progress (doubles the wait, up to 8 s). */
  private rateBackoffs = 0;

  constructor(private readonly options: TelemetryClientOptions) {}

  /** Opens the connection (reconnects by itself until {@link close}). */
  connect(): void {
    if (this.socket || this.stopped) return;
    const socket = io(this.options.url ?? '', {
      auth: {
        role: 'student',
        protocol: PROTOCOL_VERSION,
        token: this.options.token,
        emotionConsent: this.options.emotionConsent === true,
      },
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
    });
    this.socket = socket;
    socket.on(MESSAGE_EVENT, (raw: unknown) => this.onMessage(raw));
    socket.on('disconnect', () => this.setLive(false));
    socket.on('connect_error', (err: Error & { data?: unknown }) => {
      const info = ErrorInfo.safeParse(err.data);
      if (info.success && FATAL.has(info.data.code)) {
        this.options.onEvent({ type: 'refused', error: info.data });
        this.close();
        return;
      }
      // A middleware refusal stops Socket.IO's own retries; a transient one deserves another try.
      if (!socket.active && !this.stopped && !this.retryTimer) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          if (!this.stopped) socket.connect();
        }, 2000);
      }
    });
  }

  /** Numbers `message`, keeps it until acknowledged, and sends it now when connected. */
  send(message: UnsequencedTelemetry | UnsequencedSelfReport): SequencedMessage {
    const msg = this.outbox.push(message);
    if (this.live) this.emit(msg);
    return msg;
  }

  /** Counters (see {@link TelemetryStats}). */
  stats(): TelemetryStats {
    return {
      connected: this.live,
      lastSeq: this.outbox.lastSeq,
      lastAcked: this.outbox.lastAcked,
      pending: this.outbox.size,
      thinned: this.outbox.thinned,
      bytesSent: this.bytes,
    };
  }

  /** Closes the connection for good. */
  close(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.resendTimer) clearTimeout(this.resendTimer);
    this.resendTimer = null;
    this.socket?.disconnect();
    this.socket = null;
    this.setLive(false);
  }

  private emit(payload: unknown): void {
    this.bytes += JSON.stringify(payload).length;
    this.socket?.emit(MESSAGE_EVENT, payload);
  }

  private setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.options.onEvent({ type: 'connection', connected: live });
  }

  /**
   * A message was refused for rate: it is still in the outbox (and the server keeps its seq open), so
   * after a back-off (0.5 s, doubling while refusals go on) everything unacknowledged is re-sent as
   * replay batches; the server ignores what it already has. A reconnect's replay does the same.
   */
  private resendLater(): void {
    if (this.resendTimer || this.stopped) return;
    const wait = Math.min(8000, 500 * 2 ** this.rateBackoffs);
    this.rateBackoffs = Math.min(this.rateBackoffs + 1, 4);
    this.resendTimer = setTimeout(() => {
      this.resendTimer = null;
      if (!this.live) return;
      for (const batch of this.outbox.replay()) this.emit(batch);
    }, wait);
  }

  private onMessage(raw: unknown): void {
    const parsed = ServerToStudentMessage.safeParse(raw);
    if (!parsed.success) return;
    const msg = parsed.data;
    switch (msg.type) {
      case 'welcome':
        this.outbox.resume(msg.lastSeq);
        for (const batch of this.outbox.replay()) this.emit(batch);
        this.setLive(true);
        this.options.onEvent({ type: 'welcome', welcome: msg });
        break;
      case 'ack':
        if (msg.seq > this.outbox.lastAcked) this.rateBackoffs = 0;
        this.outbox.ack(msg.seq);
        break;
      case 'settings':
        this.options.onEvent({ type: 'settings', settings: msg });
        break;
      case 'session_ended':
        this.options.onEvent({ type: 'ended' });
        this.close();
        break;
      case 'error':
        if (msg.error.code === 'SESSION_ENDED') {
          this.options.onEvent({ type: 'ended' });
          this.close();
        } else if (msg.error.code === 'RATE_LIMITED') this.resendLater();
        break;
    }
  }
}
