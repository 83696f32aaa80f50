/**
 * The Socket.IO shell: handshake checks, then student and teacher connections handed to the hub through
 * the link interfaces of `links.ts`. Nothing here decides what a message means.
 */
import type { Server, Socket } from 'socket.io';
import type { FastifyInstance } from 'fastify';
import {
  Handshake,
  LIMITS,
  MESSAGE_EVENT,
  PROTOCOL_VERSION,
  type ErrorCode,
  type ErrorInfo,
  type ServerToStudentMessage,
} from '@smartsession/protocol';
import { isFrameMessage } from '../analysis/service.js';
import { hashToken } from '../auth/crypto.js';
import type { ParticipantRow, SessionRow } from '../db/repository.js';
import type { ServerContext } from '../context.js';
import { originAllowed } from '../auth/origin.js';
import { cookieToken, teacherFromToken } from '../auth/teachers.js';
import type { Metrics } from '../ops/metrics.js';
import type { StudentConnection } from './hub.js';
import type { Control, ControlBus, TeacherChannel } from './links.js';
import { wireSize } from './wire.js';

/** What the handshake established about a socket. */
type SocketData =
  | { role: 'student'; participant: ParticipantRow; session: SessionRow; emotionConsent: boolean }
  | { role: 'teacher'; teacherId: string; authSessionId: string; session: SessionRow };

class Refusal extends Error {
  readonly data: ErrorInfo;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.data = { code, message };
  }
}

/** Socket.IO room of a session's teachers. */
const teacherRoom = (sessionId: string) => `t:${sessionId}`;
/** Socket.IO room of the sockets signed in with one auth session (ended together at logout). */
const authRoom = (authSessionId: string) => `a:${authSessionId}`;

const CONTROL_EVENT = 'smartsession:control';

/**
 * The teachers of each session, as Socket.IO rooms (the adapter carries them across instances while
 * `clusterUp()`; while it is down, messages go to this instance's teachers only, at once).
 */
export function socketTeachers(
  io: Server,
  clusterUp: () => boolean = () => true,
  metrics?: Metrics,
): TeacherChannel {
  return {
    send: (sessionId, msg) => {
      metrics?.messageOut('teachers', msg.type);
      (clusterUp() ? io : io.local).to(teacherRoom(sessionId)).emit(MESSAGE_EVENT, msg);
    },
    sendLocal: (sessionId, msg) => {
      metrics?.messageOut('teachers', msg.type);
      io.local.to(teacherRoom(sessionId)).emit(MESSAGE_EVENT, msg);
    },
    localSessions: () => {
      const out: string[] = [];
      for (const [name, members] of io.of('/').adapter.rooms)
        if (name.startsWith('t:') && members.size > 0) out.push(name.slice(2));
      return out;
    },
    watching: (sessionId) => (io.of('/').adapter.rooms.get(teacherRoom(sessionId))?.size ?? 0) > 0,
    closeSession: (sessionId) => io.in(teacherRoom(sessionId)).disconnectSockets(true),
    closeAuth: (authSessionId) => io.in(authRoom(authSessionId)).disconnectSockets(true),
  };
}

/** The control bus between instances over the adapter's server-side events. */
export function socketBus(io: Server): ControlBus {
  return {
    publish: (c) => io.serverSideEmit(CONTROL_EVENT, c),
    subscribe: (handler) => io.on(CONTROL_EVENT, (c: Control) => handler(c)),
  };
}

/** Handshake checks, then student and teacher connections. */
export function attachSockets(io: Server, app: FastifyInstance, ctx: ServerContext): void {
  const { repo, hub, log, metrics } = ctx;

  io.use((socket, next) => {
    authenticate(socket).then(
      (data) => {
        socket.data = data;
        next();
      },
      (err: unknown) => {
        if (err instanceof Refusal) {
          metrics.refused('handshake', err.data.code);
          return next(err);
        }
        log.error({ err }, 'handshake failed');
        next(new Refusal('UNAVAILABLE', 'The server cannot check this connection right now; retrying'));
      },
    );
  });

  async function authenticate(socket: Socket): Promise<SocketData> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    if (auth.protocol !== PROTOCOL_VERSION) {
      throw new Refusal(
        'PROTOCOL_MISMATCH',
        `Protocol ${String(auth.protocol)} is not supported; this server speaks ${PROTOCOL_VERSION}. Reload the page.`,
      );
    }
    const parsed = Handshake.safeParse(auth);
    if (!parsed.success)
      throw new Refusal('BAD_HANDSHAKE', 'Handshake must be {role, protocol, token|sessionId}');
    const h = parsed.data;
    if (h.role === 'student') {
      const participant = await repo.findParticipantByToken(hashToken(h.token));
      if (!participant) throw new Refusal('INVALID_TOKEN', 'Unknown or expired token; join the class again');
      const session = await repo.getSession(participant.sessionId);
      if (!session) throw new Refusal('INVALID_TOKEN', 'Unknown or expired token; join the class again');
      if (session.endedAt !== null) throw new Refusal('SESSION_ENDED', 'This class has ended');
      return { role: 'student', participant, session, emotionConsent: h.emotionConsent === true };
    }
    // The cookie rides along with any page's WebSocket: a foreign page must not open the teacher's.
    if (!originAllowed(socket.request.headers.origin, socket.request.headers.host, ctx.publicOrigin))
      throw new Refusal('FORBIDDEN', 'Connections from another site are not allowed');
    const cookies = app.parseCookie(socket.request.headers.cookie ?? '');
    const token = cookieToken(cookies, (raw) => app.unsignCookie(raw));
    const teacher = await teacherFromToken(repo, token);
    if (!teacher || !token) throw new Refusal('UNAUTHORIZED', 'Sign in first');
    const session = await repo.getSession(h.sessionId);
    if (!session || session.teacherId !== teacher.id) throw new Refusal('NOT_FOUND', 'No such session');
    return { role: 'teacher', teacherId: teacher.id, authSessionId: hashToken(token), session };
  }

  io.on('connection', (socket) => {
    const data = socket.data as SocketData;
    if (data.role === 'teacher') {
      void socket.join([teacherRoom(data.session.id), authRoom(data.authSessionId)]);
      hub.snapshot(data.session).then(
        (snap) => {
          socket.emit(MESSAGE_EVENT, snap);
          socket.emit(MESSAGE_EVENT, hub.service());
        },
        (err: unknown) => {
          log.error({ err }, 'snapshot failed');
          socket.emit(MESSAGE_EVENT, {
            type: 'error',
            error: { code: 'UNAVAILABLE', message: 'The class could not be loaded; reconnecting' },
          });
          socket.disconnect(true);
        },
      );
      return;
    }
    studentConnection(socket, data.participant, data.emotionConsent);
  });

  function studentConnection(socket: Socket, participant: ParticipantRow, emotionConsent: boolean): void {
    const link = {
      send: (msg: ServerToStudentMessage) => {
        metrics.messageOut('student', msg.type);
        if (msg.type === 'error') metrics.refused('socket', msg.error.code);
        if (msg.type === 'frame_refused') metrics.refused('analysis', msg.error.code);
        socket.emit(MESSAGE_EVENT, msg);
      },
      close: () => void socket.disconnect(true),
    };
    // Messages that arrive before the hub has welcomed the student wait, in order; after, each is
    // handled at once (no promise per message on the hot path).
    let connection: StudentConnection | null = null;
    let early: Array<[unknown, number]> | null = [];
    let gone = false;
    hub.studentConnected(link, participant, emotionConsent).then(
      (c) => {
        const queued = early ?? [];
        early = null;
        connection = c;
        for (const [raw, bytes] of queued) c?.message(raw, bytes);
        if (gone) c?.closed();
      },
      (err: unknown) => {
        early = null;
        log.error({ err }, 'student connect failed');
        socket.disconnect(true);
      },
    );
    socket.on(MESSAGE_EVENT, (raw: unknown) => {
      metrics.messageIn((raw as { type?: unknown } | null)?.type);
      const bytes = wireSize(raw) ?? 0;
      // Frames for analysis on the server: never sequenced or stored, answered by the analysis service.
      if (isFrameMessage(raw)) {
        if (connection) ctx.analysis.frame(participant.id, participant.sessionId, raw, bytes, link.send);
        return;
      }
      if (connection) connection.message(raw, bytes);
      else if (early && early.length < LIMITS.rateBurst) early.push([raw, bytes]);
    });
    socket.on('disconnect', () => {
      gone = true;
      ctx.analysis.disconnected(participant.id);
      connection?.closed();
    });
  }
}
