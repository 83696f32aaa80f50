/** Test clients: HTTP with a cookie jar, and Socket.IO students/teachers that record every message. */
import { io, type Socket } from 'socket.io-client';
import { MESSAGE_EVENT, PROTOCOL_VERSION } from '@smartsession/protocol';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A browser-like HTTP client keeping the `ss_session` cookie. */
export class Http {
  cookie: string | null = null;
  /** Sent with every request (e.g. `origin`, `x-forwarded-for` in tests behind a trusted proxy). */
  headers: Record<string, string> = {};
  constructor(readonly base: string) {}

  async req<T = unknown>(method: string, path: string, body?: unknown): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...this.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    const res = await fetch(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = /ss_session=([^;]*)/.exec(set);
      if (m) this.cookie = m[1] ? `ss_session=${m[1]}` : null;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (HTML page)
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  get<T = unknown>(path: string) {
    return this.req<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.req<T>('POST', path, body ?? {});
  }
  patch<T = unknown>(path: string, body: unknown) {
    return this.req<T>('PATCH', path, body);
  }
  del<T = unknown>(path: string) {
    return this.req<T>('DELETE', path);
  }
}

type Msg = { type: string; [k: string]: unknown };

/** A socket that records every `msg` and lets a test wait for one. */
export class Recorder {
  readonly messages: Msg[] = [];
  private waiters: Array<{ pred: (m: Msg) => boolean; resolve: (m: Msg) => void }> = [];

  constructor(readonly socket: Socket) {
    socket.on(MESSAGE_EVENT, (m: Msg) => {
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(m)) return true;
        w.resolve(m);
        return false;
      });
    });
  }

  /** Resolves with the first message (already received or future) matching `pred`. */
  wait<T extends Msg = Msg>(pred: (m: Msg) => boolean, timeoutMs = 10_000, fromIndex = 0): Promise<T> {
    const found = this.messages.slice(fromIndex).find(pred);
    if (found) return Promise.resolve(found as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for a message; got ${this.summary()}`)),
        timeoutMs,
      );
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
      });
    });
  }

  send(msg: unknown): void {
    this.socket.emit(MESSAGE_EVENT, msg);
  }

  summary(): string {
    return this.messages.map((m) => m.type).join(',');
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Connects and resolves once connected (or rejects with the connect_error). */
export function connect(
  url: string,
  auth: Record<string, unknown>,
  cookie?: string | null,
  headers: Record<string, string> = {},
): Promise<Recorder> {
  const socket = io(url, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { ...headers, ...(cookie ? { cookie } : {}) },
  });
  const rec = new Recorder(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(rec));
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      socket.close();
      reject(err);
    });
  });
}

export const studentAuth = (token: string, protocol = PROTOCOL_VERSION) => ({
  role: 'student',
  protocol,
  token,
});
export const teacherAuth = (sessionId: string, protocol = PROTOCOL_VERSION) => ({
  role: 'teacher',
  protocol,
  sessionId,
});
