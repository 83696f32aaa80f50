/**
 * Telemetry client: the Socket.IO shell around the shared {@link StudentProtocolClient} (outbox, welcome
 * and replay, acks, hold/resume, back-off). One connection with the student token; every message kept
 * until the server stores it.
 */
import {
  MESSAGE_EVENT,
  PROTOCOL_VERSION,
  ServerToStudentMessage,
  ErrorInfo,
  type AnalysisFrameMessage,
  StudentProtocolClient,
  type ClientTimers,
  type SequencedMessage,
  type SettingsMessage,
  type UnsequencedSelfReport,
  type UnsequencedTelemetry,
  type WelcomeMessage,
} from '@smartsession/protocol';
import { io, type Socket } from 'socket.io-client';
import type { ServerAnalysisMessage } from './serverAnalysis.js';

/** What the client tells the page. */
export type TelemetryEvent =
  | { type: 'connection'; connected: boolean }
  | { type: 'welcome'; welcome: WelcomeMessage }
  | { type: 'settings'; settings: SettingsMessage }
  | { type: 'ended' }
  /** The server's storage is down (`holding`) or back: nothing is lost, saving waits. */
  | { type: 'hold'; holding: boolean }
  /** The server refused the connection for good (unknown token, class ended, old page). */
  | { type: 'refused'; error: ErrorInfo }
  /** The server refused one message for good (e.g. this device's clock is far off); the rest go on. */
  | { type: 'rejected'; error: ErrorInfo; seq: number | undefined };

/** Counters for the page's transparency panel and for tests. */
export interface TelemetryStats {
  connected: boolean;
  /** The server said its storage is down: messages wait on this device. */
  holding: boolean;
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

const BROWSER_TIMERS: ClientTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** Connection refusals after which reconnecting cannot help. */
const FATAL: ReadonlySet<string> = new Set([
  'INVALID_TOKEN',
  'SESSION_ENDED',
  'PROTOCOL_MISMATCH',
  'BAD_HANDSHAKE',
]);

/** Sends the student's telemetry and self-reports; survives disconnections without losing any. */
export class TelemetryClient {
  private readonly core: StudentProtocolClient;
  private socket: Socket | null = null;
  private connectedNow = false;
  private stopped = false;
  private bytes = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private analysisHandler: ((msg: ServerAnalysisMessage) => void) | null = null;

  constructor(private readonly options: TelemetryClientOptions) {
    this.core = new StudentProtocolClient(
      (payload) => this.emit(payload),
      (e) => {
        if (e.type === 'ended') {
          options.onEvent({ type: 'ended' });
          this.close();
        } else if (e.type === 'refused') options.onEvent({ type: 'rejected', error: e.error, seq: e.seq });
        else if (e.type === 'welcome') {
          this.setConnected(true);
          options.onEvent(e);
        } else options.onEvent(e);
      },
      { timers: BROWSER_TIMERS },
    );
  }

  /** The outbox (read-only use: what is waiting). */
  get outbox() {
    return this.core.outbox;
  }

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
    socket.on('connect', () => this.core.connected());
    socket.on(MESSAGE_EVENT, (raw: unknown) => {
      const parsed = ServerToStudentMessage.safeParse(raw);
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.type === 'frame_result' || m.type === 'frame_refused' || m.type === 'analysis_rate')
        return this.analysisHandler?.(m);
      this.core.receive(m, Date.now());
    });
    socket.on('disconnect', () => {
      this.core.disconnected();
      this.setConnected(false);
    });
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
    return this.core.push(message);
  }

  /** Where the server's answers about frames go (analysis on the server). */
  onAnalysis(handler: ((msg: ServerAnalysisMessage) => void) | null): void {
    this.analysisHandler = handler;
  }

  /** Sends one frame for analysis on the server (binary attachment); false when not connected. */
  sendFrame(msg: AnalysisFrameMessage): boolean {
    if (!this.socket?.connected || !this.connectedNow) return false;
    this.socket.emit(MESSAGE_EVENT, msg);
    return true;
  }

  /** Counters (see {@link TelemetryStats}). */
  stats(): TelemetryStats {
    const s = this.core.stats();
    return {
      connected: this.connectedNow,
      holding: s.holding,
      lastSeq: s.lastSeq,
      lastAcked: s.lastAcked,
      pending: s.pending,
      thinned: s.thinned,
      bytesSent: this.bytes,
    };
  }

  /** Closes the connection for good. */
  close(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.core.dispose();
    this.socket?.disconnect();
    this.socket = null;
    this.setConnected(false);
  }

  private emit(payload: unknown): void {
    this.bytes += JSON.stringify(payload).length;
    this.socket?.emit(MESSAGE_EVENT, payload);
  }

  private setConnected(connected: boolean): void {
    if (this.connectedNow === connected) return;
    this.connectedNow = connected;
    this.options.onEvent({ type: 'connection', connected });
  }
}
