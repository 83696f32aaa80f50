/**
 * Teacher Socket.IO connection: handshake per docs/architecture.md, every inbound message validated against
 * the protocol's `ServerToTeacherMessage` before the app sees it (samples by a cheap check of the same rules,
 * see `samples-check.ts`), reconnection state reported.
 */
import { io, type Socket } from 'socket.io-client';
import { ErrorInfo, MESSAGE_EVENT, PROTOCOL_VERSION, ServerToTeacherMessage } from '@smartsession/protocol';
import { isSamplesMessage } from './samples-check.js';

/** Connection state the dashboard shows: `connecting` first, `reconnecting` after a drop, `refused` when the server says no. */
export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; attempt: number }
  | { kind: 'refused'; error: ErrorInfo };

/** Callbacks of {@link connectTeacher}. */
export interface TeacherSocketHandlers {
  onMessage(msg: ServerToTeacherMessage): void;
  onState(state: ConnectionState): void;
  /** A message that failed validation (dropped). */
  onInvalid?(detail: string): void;
}

/** A live teacher connection; `close()` ends it for good. */
export interface TeacherConnection {
  close(): void;
}

/** Opens the teacher socket for a session. Same origin by default; the browser sends the signed-in cookie. */
export function connectTeacher(
  sessionId: string,
  handlers: TeacherSocketHandlers,
  url: string = window.location.origin,
): TeacherConnection {
  const socket: Socket = io(url, {
    auth: { role: 'teacher', protocol: PROTOCOL_VERSION, sessionId },
    withCredentials: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  let attempt = 0;
  handlers.onState({ kind: 'connecting' });
  socket.on('connect', () => {
    attempt = 0;
    handlers.onState({ kind: 'live' });
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') return;
    handlers.onState({ kind: 'reconnecting', attempt });
  });
  socket.io.on('reconnect_attempt', (n) => {
    attempt = n;
    handlers.onState({ kind: 'reconnecting', attempt: n });
  });
  socket.on('connect_error', (err: Error & { data?: unknown }) => {
    const info = ErrorInfo.safeParse(err.data);
    // A refusal by the server's handshake check leaves the socket inactive: it will not retry on its own.
    // `UNAVAILABLE` (the server could not check the sign-in, e.g. its database is down) is worth retrying.
    if (!socket.active && info.success && info.data.code === 'UNAVAILABLE') {
      attempt++;
      handlers.onState({ kind: 'reconnecting', attempt });
      setTimeout(() => socket.connect(), Math.min(5000, 500 * 2 ** Math.min(attempt, 4)));
    } else if (!socket.active) {
      handlers.onState({
        kind: 'refused',
        error: info.success ? info.data : { code: 'INTERNAL', message: err.message },
      });
    } else {
      handlers.onState({ kind: 'reconnecting', attempt });
    }
  });
  socket.on(MESSAGE_EVENT, (raw: unknown) => {
    // The samples stream (most messages by far) passes a cheap check; everything else, and any samples
    // message that fails it, goes through the full schema.
    if (isSamplesMessage(raw)) return handlers.onMessage(raw);
    const parsed = ServerToTeacherMessage.safeParse(raw);
    if (parsed.success) handlers.onMessage(parsed.data);
    else handlers.onInvalid?.(parsed.error.message);
  });
  return {
    close() {
      socket.removeAllListeners();
      socket.io.removeAllListeners();
      socket.disconnect();
    },
  };
}
