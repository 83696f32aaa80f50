/**
 * A scripted student over a real Socket.IO connection, speaking the protocol through the same client
 * core as the student page ({@link StudentProtocolClient}: outbox, welcome and replay, acks, hold and
 * resume, back-off) and recording everything a test needs to count what was acknowledged and lost.
 */
import { io, type Socket } from 'socket.io-client';
import {
  MESSAGE_EVENT,
  PROTOCOL_VERSION,
  ServerToStudentMessage,
  StudentProtocolClient,
  type ErrorCode,
} from '@smartsession/protocol';
import { frame } from './telemetry.js';

/**
 * One telemetry message every `periodMs` of real time whose client time advances by a second each (so
 * the server stores every one as a sample). With `clockAheadMs` the client clock instead runs at the real
 * rate but that far ahead (a wrongly set clock), and the status alternates at every message (so every one
 * is still stored).
 */
export class ScriptedStudent {
  readonly client: StudentProtocolClient;
  readonly socket: Socket;
  /** Highest ack received so far, and each welcome's `lastSeq`. */
  acked = 0;
  readonly welcomes: number[] = [];
  /** Every refusal the server sent (code and seq). */
  readonly errors: Array<{ code: ErrorCode; seq: number | undefined }> = [];
  /** `hold` messages received. */
  holds = 0;
  private timer: NodeJS.Timeout | null = null;
  private t0 = Date.now();

  constructor(
    url: string,
    token: string,
    readonly clockAheadMs: number | null = null,
  ) {
    this.client = new StudentProtocolClient(
      (payload) => this.socket.emit(MESSAGE_EVENT, payload),
      () => {},
      { timers: { set: setTimeout, clear: (h) => clearTimeout(h as NodeJS.Timeout), now: Date.now } },
    );
    this.socket = io(url, {
      auth: { role: 'student', protocol: PROTOCOL_VERSION, token },
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 500,
      forceNew: true,
    });
    this.socket.on('connect', () => this.client.connected());
    this.socket.on('disconnect', () => this.client.disconnected());
    this.socket.on(MESSAGE_EVENT, (raw: unknown) => {
      const m = ServerToStudentMessage.parse(raw);
      if (m.type === 'ack') this.acked = Math.max(this.acked, m.seq);
      else if (m.type === 'welcome') this.welcomes.push(m.lastSeq);
      else if (m.type === 'error') this.errors.push({ code: m.error.code, seq: m.seq });
      else if (m.type === 'hold') this.holds++;
      this.client.receive(m, Date.now());
    });
  }

  /** The protocol's outbox (seqs sent, pending). */
  get outbox() {
    return this.client.outbox;
  }

  /** Starts sending. */
  start(periodMs: number): void {
    this.timer = setInterval(() => this.tick(), periodMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const n = this.outbox.lastSeq + 1;
    const ahead = this.clockAheadMs;
    const t = ahead === null ? this.t0 + n * 1000 : Date.now() + ahead;
    const status = (ahead === null ? n % 7 === 0 : n % 2 === 0) ? 'confused' : 'focused';
    this.client.push({
      type: 'telemetry',
      t,
      status,
      alert: null,
      since: t,
      reason: null,
      frame: frame(status === 'confused' ? 0.8 : 0.2),
    });
  }

  /** Resolves once everything sent so far is acknowledged. */
  async drained(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.acked < this.outbox.lastSeq) {
      if (Date.now() > deadline)
        throw new Error(`not drained: acked ${this.acked} of ${this.outbox.lastSeq}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  close(): void {
    this.stop();
    this.client.dispose();
    this.socket.disconnect();
  }
}
