/**
 * A scripted student for browser tests and the dashboard benchmark: joins over HTTP, connects with the
 * real Socket.IO client and sends protocol telemetry, as the student page would after analysing frames.
 * No camera: the frames are written by hand (the analysis itself is tested in packages/engine).
 */
import { io, type Socket } from 'socket.io-client';
import {
  JoinResponse,
  MESSAGE_EVENT,
  PROTOCOL_VERSION,
  ServerToStudentMessage,
  type Accommodations,
  type AlertCode,
  type Reason,
  type FrameResult,
  type ReportedStatus,
  type StudentClientMessage,
} from '@smartsession/protocol';

/** What to report in one telemetry message. */
export interface Report {
  status: ReportedStatus;
  alert?: AlertCode | null;
  reason?: Reason | null;
  /** Confusion score 0..1 (the frame's contributions are derived from it). */
  score?: number;
  faces?: number;
  /** Client time of the message, ms (default now). */
  t?: number;
  /**
   * Emotion fields as a device with emotion reading on sends them: happiness 0..1 (its `1 - happy` part
   * then adds to the score). Absent: no emotion fields (emotion off).
   */
  happy?: number;
}

/** A frame consistent with a status: contributions sum to the score; emotion fields only with `happy`. */
function frameFor(r: Report): FrameResult {
  const base = plainFrame(r);
  if (r.happy === undefined || !base.contributions || !base.signals) return base;
  const part = +(0.35 * (1 - r.happy)).toFixed(4);
  return {
    ...base,
    emotion: r.happy > 0.5 ? 'Happy / Engaged' : 'Focused / Neutral',
    happy_prob: r.happy,
    confusion_score: Math.min(1, +(base.confusion_score + part).toFixed(4)),
    signals: { ...base.signals, happy: 1 - r.happy },
    contributions: { ...base.contributions, happy: part },
  };
}

function plainFrame(r: Report): FrameResult {
  const faces = r.faces ?? (r.alert === 'NO_PERSON' ? 0 : r.alert === 'MULTIPLE_PEOPLE' ? 2 : 1);
  const score = r.score ?? (r.status === 'confused' ? 0.72 : 0.18);
  const brow = +(score * 0.7).toFixed(4);
  const tilt = +(score - brow).toFixed(4);
  const away = r.alert === 'GAZE_AWAY';
  return {
    face_count: faces,
    status: faces === 0 ? 'NO PERSON' : faces > 1 ? 'MULTIPLE PEOPLE' : 'OK',
    emotion: null,
    happy_prob: null,
    gaze: faces === 0 ? null : away ? 'LEFT' : 'CENTER',
    confused: r.status === 'confused',
    confusion_score: score,
    head: faces === 0 ? null : { yaw: away ? 38 : 2, pitch: 3, roll: 1 },
    eyes: faces === 0 ? null : away ? 'LEFT' : 'CENTER',
    signals:
      faces === 0 ? null : { brow: Math.min(1, brow / 0.7), happy: null, tilt: Math.min(1, tilt / 0.3) },
    contributions: faces === 0 ? null : { brow, happy: null, tilt },
  };
}

/** A connected scripted student. */
export class ScriptedStudent {
  private seq = 0;
  private status: ReportedStatus = 'calibrating';
  private since = Date.now();
  lastAck = 0;
  /** Accommodations from the latest `welcome` / `settings` message. */
  accommodations: Accommodations = {};

  private constructor(
    readonly name: string,
    readonly join: JoinResponse,
    private readonly socket: Socket,
  ) {
    socket.on(MESSAGE_EVENT, (raw: unknown) => {
      const m = ServerToStudentMessage.safeParse(raw);
      if (!m.success) return;
      if (m.data.type === 'ack') this.lastAck = m.data.seq;
      if (m.data.type === 'settings' || m.data.type === 'welcome')
        this.accommodations = m.data.accommodations;
    });
  }

  /**
   * Joins a session by code and connects; resolves after the server's `welcome`. `emotionConsent`: the
   * student ticked emotion reading on the consent screen (default no).
   */
  static async join(
    baseUrl: string,
    code: string,
    name: string,
    emotionConsent = false,
  ): Promise<ScriptedStudent> {
    const res = await fetch(`${baseUrl}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name }),
    });
    if (!res.ok) throw new Error(`join failed: HTTP ${res.status} ${await res.text()}`);
    const join = JoinResponse.parse(await res.json());
    const socket = io(baseUrl, {
      auth: { role: 'student', protocol: PROTOCOL_VERSION, token: join.token, emotionConsent },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const student = new ScriptedStudent(name, join, socket);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no welcome for ${name}`)), 15_000);
      socket.on(MESSAGE_EVENT, (raw: unknown) => {
        const m = ServerToStudentMessage.safeParse(raw);
        if (m.success && m.data.type === 'welcome') {
          clearTimeout(timer);
          student.seq = m.data.lastSeq;
          resolve();
        }
      });
      socket.on('connect_error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    return student;
  }

  /** Sends one telemetry message. */
  send(r: Report): void {
    const t = r.t ?? Date.now();
    if (r.status !== this.status) {
      this.status = r.status;
      this.since = t;
    }
    this.emit({
      type: 'telemetry',
      seq: ++this.seq,
      t,
      status: r.status,
      alert: r.status === 'alert' ? (r.alert ?? 'GAZE_AWAY') : null,
      since: this.since,
      reason: r.reason ?? null,
      frame: r.status === 'calibrating' || r.status === 'camera-off' ? null : frameFor(r),
    });
  }

  /** Presses (or withdraws) "I'm lost". */
  selfReport(kind: 'lost' | 'resolved'): void {
    this.emit({ type: 'self_report', seq: ++this.seq, t: Date.now(), kind });
  }

  /** Resolves once the server acknowledged everything sent so far. */
  async settled(timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.lastAck < this.seq) {
      if (Date.now() > end) throw new Error(`not acknowledged: sent ${this.seq}, acked ${this.lastAck}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Disconnects (the teacher should see `offline`). */
  close(): void {
    this.socket.disconnect();
  }

  private emit(msg: StudentClientMessage): void {
    this.socket.emit(MESSAGE_EVENT, msg);
  }
}
