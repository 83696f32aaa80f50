/**
 * Fixtures of the student-page browser tests and bench: the fake webcam script (real face photos from
 * `@vladmandic/face-api/demo`, cropped with sharp), a teacher watching over a real socket, a TCP proxy
 * that can cut the network, and a recorder of what the page's sockets send (Chrome DevTools Protocol).
 *
 * Crops (measured with the Node engine, relative to the 480x360 frame; see the report of issue 4):
 * - facing: sample3.jpg, middle woman, 1 face, yaw ≈ -13°, gaze CENTER;
 * - away: sample4.jpg, leftmost woman, head turned, 1 face, yaw ≈ +26° (≈ 39° from the facing crop): LEFT;
 * - empty: sample6.jpg, the window blinds top left, 0 faces;
 * - two: sample3.jpg, the two women on the right, 2 faces.
 */
import { createServer, type Server, type Socket as NetSocket, connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { io, type Socket } from 'socket.io-client';
import type { CDPSession, Page } from 'playwright-core';
import {
  MESSAGE_EVENT,
  PROTOCOL_VERSION,
  ServerToTeacherMessage,
  type SequencedMessage,
  type StudentState,
  type StudentClientMessage,
} from '@smartsession/protocol';
import { writeY4m, type RgbFrame, type Y4mSegment } from '../../../test/support/y4m.js';

const demo = fileURLToPath(new URL('../../../node_modules/@vladmandic/face-api/demo/', import.meta.url));

/** Webcam frame size of the fake camera. */
export const CAM = { width: 480, height: 360 } as const;

/** A crop of a demo photo: box `[x, y, w, h]` as fractions of the photo, grown by `scale` around its centre. */
interface Crop {
  sample: number;
  box: [number, number, number, number];
  scale: number;
}

export const CROPS = {
  facing: { sample: 3, box: [0.523, 0.137, 0.192, 0.273], scale: 1.4 },
  away: { sample: 4, box: [0.091, 0.126, 0.158, 0.209], scale: 1.4 },
  empty: { sample: 6, box: [0.0, 0.0, 0.25, 0.18], scale: 1.0 },
  two: { sample: 3, box: [0.523, 0.137, 0.404, 0.31], scale: 1.3 },
} satisfies Record<string, Crop>;

/** Renders a crop as a 480x360 RGB frame (4:3 around the box centre, cover-resized). */
export async function cropFrame(c: Crop): Promise<RgbFrame> {
  const file = `${demo}sample${c.sample}.jpg`;
  const m = await sharp(file).metadata();
  const W = m.width ?? 0;
  const H = m.height ?? 0;
  const cx = (c.box[0] + c.box[2] / 2) * W;
  const cy = (c.box[1] + c.box[3] / 2) * H;
  const h = Math.max(c.box[3] * H, (c.box[2] * W * 3) / 4) * c.scale;
  const w = (h * 4) / 3;
  const left = Math.max(0, Math.round(cx - w / 2));
  const top = Math.max(0, Math.round(cy - h / 2));
  const width = Math.min(W - left, Math.round(w));
  const height = Math.min(H - top, Math.round(h));
  const { data } = await sharp(file)
    .extract({ left, top, width, height })
    .resize(CAM.width, CAM.height, { fit: 'cover' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: CAM.width, height: CAM.height, data: new Uint8Array(data) };
}

/** Writes the fake webcam file for `script` ([crop name, seconds] …) and returns the segments written. */
export async function writeWebcamScript(
  path: string,
  script: [keyof typeof CROPS, number][],
  fps = 5,
): Promise<Y4mSegment[]> {
  const frames = new Map<string, RgbFrame>();
  const segments: Y4mSegment[] = [];
  for (const [label, seconds] of script) {
    let frame = frames.get(label);
    if (!frame) {
      frame = await cropFrame(CROPS[label]);
      frames.set(label, frame);
    }
    segments.push({ label, frame, seconds });
  }
  await writeY4m(path, segments, fps);
  return segments;
}

/** HTTP with the teacher's signed-in cookie. */
export class TeacherHttp {
  cookie = '';
  constructor(readonly base: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), cookie: this.cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    const m = set ? /ss_session=[^;]*/.exec(set) : null;
    if (m) this.cookie = m[0];
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }
}

/** One observed change of a student on the teacher's socket (test clock, ms). */
export interface Seen {
  at: number;
  status: StudentState['status'];
  alert: StudentState['alert'];
  since: number;
}

/** A signed-up teacher with a session, watching it over a real teacher socket. */
export class TeacherWatch {
  readonly seen = new Map<string, Seen[]>();
  /** Latest state per student name. */
  readonly state = new Map<string, StudentState>();
  socket: Socket | null = null;

  private constructor(
    readonly http: TeacherHttp,
    readonly sessionId: string,
    readonly joinCode: string,
  ) {}

  static async open(
    base: string,
    mode: 'support' | 'exam',
    emotion: 'on' | 'off' = 'off',
  ): Promise<TeacherWatch> {
    const http = new TeacherHttp(base);
    const email = `t${Date.now()}${Math.random().toString(36).slice(2, 6)}@example.org`;
    await http.call('POST', '/api/auth/signup', {
      email,
      password: 'correct horse battery',
      name: 'Ms Test',
    });
    const s = await http.call<{ id: string; joinCode: string }>('POST', '/api/sessions', {
      title: 'Student page test',
      mode,
      emotion,
    });
    const w = new TeacherWatch(http, s.id, s.joinCode);
    await w.connect(base);
    return w;
  }

  private connect(base: string): Promise<void> {
    const socket = io(base, {
      auth: { role: 'teacher', protocol: PROTOCOL_VERSION, sessionId: this.sessionId },
      extraHeaders: { cookie: this.http.cookie },
      transports: ['websocket'],
      forceNew: true,
    });
    this.socket = socket;
    const record = (st: StudentState) => {
      this.state.set(st.name, st);
      const list = this.seen.get(st.name) ?? [];
      const last = list[list.length - 1];
      if (!last || last.status !== st.status || last.alert !== st.alert) {
        list.push({ at: Date.now(), status: st.status, alert: st.alert, since: st.statusSince });
      }
      this.seen.set(st.name, list);
    };
    return new Promise((resolve, reject) => {
      socket.on('connect_error', reject);
      socket.on(MESSAGE_EVENT, (raw: unknown) => {
        const m = ServerToTeacherMessage.safeParse(raw);
        if (!m.success) return;
        if (m.data.type === 'snapshot') {
          m.data.students.forEach(record);
          resolve();
        } else if (m.data.type === 'student') record(m.data.student);
      });
    });
  }

  /** Latest status of `name` as the teacher sees it. */
  latest(name: string): Seen | undefined {
    const l = this.seen.get(name);
    return l?.[l.length - 1];
  }

  /** Waits until `name` is seen with `status` (and `alert` when given). */
  async waitFor(
    name: string,
    status: Seen['status'],
    alert: Seen['alert'] | undefined,
    timeoutMs: number,
  ): Promise<Seen> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const hit = (this.seen.get(name) ?? []).find(
        (s) => s.status === status && (alert === undefined || s.alert === alert),
      );
      if (hit) return hit;
      if (Date.now() > end) {
        const path = (this.seen.get(name) ?? [])
          .map((s) => `${s.status}${s.alert ? ':' + s.alert : ''}`)
          .join(' → ');
        throw new Error(
          `teacher never saw ${name} as ${status}${alert ? ':' + alert : ''}; saw ${path || 'nothing'}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  close(): void {
    this.socket?.disconnect();
  }
}

/**
 * A TCP proxy in front of the server whose link can be cut (all connections dropped, new ones refused),
 * and which can answer `503` to chosen request paths (Playwright's routing does not see requests made by
 * a Web Worker, so model-load failures are made here, on the wire).
 */
export class CuttableProxy {
  private server: Server;
  private readonly open = new Set<NetSocket>();
  cut = false;
  port = 0;
  /** Requests whose path matches get `503` (e.g. the model files), everything else passes. */
  block: RegExp | null = null;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => {
      if (this.cut) return client.destroy();
      const upstream = connect(this.targetPort, '127.0.0.1');
      this.open.add(client);
      this.open.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.open.delete(client);
        this.open.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.on('data', (chunk: Buffer) => {
        const m = this.block ? /^(?:GET|HEAD) (\S+) HTTP/.exec(chunk.toString('latin1', 0, 512)) : null;
        if (m && this.block?.test(m[1]!)) {
          client.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
          upstream.destroy();
          return;
        }
        upstream.write(chunk);
      });
      upstream.pipe(client);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    return `http://127.0.0.1:${this.port}`;
  }

  /** Drops every open connection and refuses new ones until {@link restore}. */
  cutLink(): void {
    this.cut = true;
    for (const s of this.open) s.destroy();
    this.open.clear();
  }

  restore(): void {
    this.cut = false;
  }

  close(): Promise<void> {
    this.cutLink();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** One payload the page sent on a socket (WebSocket frame or HTTP long-polling body). */
export interface SentFrame {
  at: number;
  bytes: number;
  text: string;
}

/**
 * Records every WebSocket frame and request body the page sends (Chrome DevTools Protocol, so the page
 * cannot hide anything), and decodes the Socket.IO `msg` payloads among them.
 */
export class SendRecorder {
  readonly frames: SentFrame[] = [];
  readonly requests: { at: number; url: string; bytes: number }[] = [];
  private constructor(readonly cdp: CDPSession) {}

  static async attach(page: Page): Promise<SendRecorder> {
    const cdp = await page.context().newCDPSession(page);
    const r = new SendRecorder(cdp);
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketFrameSent', (e) => {
      const text = e.response.payloadData;
      r.frames.push({ at: Date.now(), bytes: Buffer.byteLength(text), text });
    });
    cdp.on('Network.requestWillBeSent', (e) => {
      const body = e.request.postData ?? '';
      if (body) r.requests.push({ at: Date.now(), url: e.request.url, bytes: Buffer.byteLength(body) });
      if (body && e.request.url.includes('/socket.io/'))
        r.frames.push({ at: Date.now(), bytes: Buffer.byteLength(body), text: body });
    });
    return r;
  }

  /** The `msg` payloads the page sent, in order (live messages and replay batches). */
  messages(): { at: number; msg: StudentClientMessage }[] {
    const out: { at: number; msg: StudentClientMessage }[] = [];
    for (const f of this.frames) {
      // Socket.IO v4 event packets look like `42["msg",{...}]` (several per polling body, separated by \x1e).
      for (const part of f.text.split('\x1e')) {
        const i = part.indexOf('["msg",');
        if (!part.startsWith('42') || i < 0) continue;
        try {
          const arr = JSON.parse(part.slice(i)) as [string, StudentClientMessage];
          out.push({ at: f.at, msg: arr[1] });
        } catch {
          // not an event packet
        }
      }
    }
    return out;
  }

  /** Every sequenced message sent (batches unpacked), in order of sending. */
  sequenced(): SequencedMessage[] {
    return this.messages().flatMap(({ msg }) => (msg.type === 'batch' ? msg.items : [msg]));
  }

  /** Bytes sent between `from` and `to` (test clock, ms) on the page's sockets. */
  bytesBetween(from: number, to: number): number {
    return this.frames.filter((f) => f.at >= from && f.at <= to).reduce((n, f) => n + f.bytes, 0);
  }
}
