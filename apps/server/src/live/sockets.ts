import type { Server, Socket } from 'socket.io';
import type { FastifyInstance } from 'fastify';
import {
  Handshake,
  LIMITS,
  MESSAGE_EVENT,
  PROTOCOL_VERSION,
  StudentClientMessage,
  type ErrorCode,
  type ErrorInfo,
} from '@smartsession/protocol';
import { hashToken } from '../auth/crypto.js';
import type { ParticipantRow, SessionRow } from '../db/repository.js';
import type { ServerContext } from '../context.js';
import { SESSION_COOKIE, teacherFromToken } from '../http/auth.js';
import { teacherRoom } from './hub.js';
import { MAX_SEQ_AHEAD } from './room.js';
import { TokenBucket } from './rate.js';

/** What the handshake established about a socket. */
type SocketData =
  | { role: 'student'; participant: ParticipantRow; session: SessionRow; emotionConsent: boolean }
  | { role: 'teacher'; teacherId: string; session: SessionRow };

class Refusal extends Error {
  readonly data: ErrorInfo;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.data = { code, message };
  }
}

/** How a Socket.IO event packet carrying `msg` begins (engine.io framing already removed). */
const MSG_PACKET = `2["${MESSAGE_EVENT}"`;

/** UTF-8 size of a received packet's text (cheap when it is clearly small). */
function packetBytes(data: unknown, limit: number): number {
  if (typeof data !== 'string') return 0;
  return data.length * 3 <= limit ? data.length : Buffer.byteLength(data, 'utf8');
}

/** Seqs carried by a raw (unvalidated) message or batch; at most `LIMITS.maxBatchItems`. */
function refusedSeqs(raw: unknown): number[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const r = raw as { seq?: unknown; items?: unknown };
  const list = Array.isArray(r.items) ? r.items.slice(0, LIMITS.maxBatchItems) : [r];
  const out: number[] = [];
  for (const item of list) {
    const seq = (item as { seq?: unknown } | null)?.seq;
    if (typeof seq === 'number') out.push(seq);
  }
  return out;
}

/** Handshake checks, then student and teacher connections. */
export function attachSockets(io: Server, app: FastifyInstance, ctx: ServerContext): void {
  const { repo, hub, log } = ctx;

  io.use((socket, next) => {
    authenticate(socket).then(
      (data) => {
        socket.data = data;
        next();
      },
      (err: unknown) => {
        if (err instanceof Refusal) return next(err);
        log.error({ err }, 'handshake failed');
        next(new Refusal('INTERNAL', 'Server error'));
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
    const cookies = app.parseCookie(socket.request.headers.cookie ?? '');
    const raw = cookies[SESSION_COOKIE];
    const unsigned = raw ? app.unsignCookie(raw) : null;
    const teacher = await teacherFromToken(repo, unsigned?.valid ? unsigned.value : null);
    if (!teacher) throw new Refusal('UNAUTHORIZED', 'Sign in first');
    const session = await repo.getSession(h.sessionId);
    if (!session || session.teacherId !== teacher.id) throw new Refusal('NOT_FOUND', 'No such session');
    return { role: 'teacher', teacherId: teacher.id, session };
  }

  io.on('connection', (socket) => {
    const data = socket.data as SocketData;
    if (data.role === 'teacher') {
      void socket.join(teacherRoom(data.session.id));
      hub.snapshot(data.session).then(
        (snap) => socket.emit(MESSAGE_EVENT, snap),
        (err: unknown) => log.error({ err }, 'snapshot failed'),
      );
      return;
    }
    studentConnection(socket, data.participant, data.emotionConsent);
  });

  function studentConnection(socket: Socket, participant: ParticipantRow, emotionConsent: boolean): void {
    const bucket = new TokenBucket(LIMITS.ratePerSecond, LIMITS.rateBurst, Date.now());
    const refuse = (code: ErrorCode, message: string, seq?: number) =>
      hub.toStudent(socket, {
        type: 'error',
        error: { code, message },
        ...(seq === undefined ? {} : { seq }),
      });
    // Messages that arrive before the room is ready wait in order.
    let ready: Promise<unknown> = hub
      .studentConnected(socket, participant, emotionConsent)
      .catch((err: unknown) => {
        log.error({ err }, 'student connect failed');
        socket.disconnect(true);
      });

    // Sizes of raw `msg` packets, in arrival order. Socket.IO decodes a packet at once but emits its
    // event on a later tick, so the sizes queue up and each `msg` event takes the oldest.
    const sizes: number[] = [];
    socket.conn.on('packet', (packet: { type: string; data?: unknown }) => {
      if (
        packet.type === 'message' &&
        typeof packet.data === 'string' &&
        packet.data.startsWith(MSG_PACKET)
      ) {
        sizes.push(packetBytes(packet.data, LIMITS.maxMessageBytes));
      }
    });

    socket.on(MESSAGE_EVENT, (raw: unknown) => {
      const size = sizes.shift() ?? 0;
      ready = ready
        .then(async () => {
          const room = await hub.room(participant.sessionId);
          if (!room || !socket.connected) return;
          const seq =
            typeof raw === 'object' && raw && 'seq' in raw && typeof raw.seq === 'number'
              ? raw.seq
              : undefined;
          const isBatch =
            typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'batch';
          const max = isBatch ? LIMITS.maxBatchBytes : LIMITS.maxMessageBytes;
          if (size > max) return refuse('TOO_LARGE', `Message of ${size} bytes exceeds ${max}`, seq);
          const items =
            isBatch && Array.isArray((raw as { items?: unknown }).items)
              ? (raw as { items: unknown[] }).items.length
              : 0;
          if (!bucket.take(Date.now(), 1 + Math.floor(items / 60))) {
            // The client keeps refused messages and re-sends them: their seqs stay open gaps.
            room.rateLimited(participant.id, refusedSeqs(raw));
            return refuse('RATE_LIMITED', 'Too many messages; slow down', seq);
          }
          const parsed = StudentClientMessage.safeParse(raw);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
            return refuse('BAD_MESSAGE', `Invalid message: ${where}${issue?.message ?? 'bad input'}`, seq);
          }
          if (room.seqTooFar(participant.id, parsed.data))
            return refuse(
              'BAD_MESSAGE',
              `seq jumps more than ${MAX_SEQ_AHEAD} above the last stored one`,
              seq,
            );
          if (room.endedAt !== null)
            return refuse('SESSION_ENDED', 'This class has ended; nothing more is recorded', seq);
          const result = room.ingest(participant.id, parsed.data, Date.now());
          hub.emitEvents(room, result.events);
        })
        .catch((err: unknown) => {
          log.error({ err }, 'student message failed');
          refuse('INTERNAL', 'Server error');
        });
    });

    socket.on('disconnect', () => {
      void ready.then(() => hub.studentDisconnected(socket, participant.id, participant.sessionId));
    });
  }
}
