import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { JoinBody, JoinInfo, JoinResponse } from '@smartsession/protocol';
import { hashToken, newToken, normalizeJoinCode } from '../auth/crypto.js';
import type { ServerContext } from '../context.js';
import type { NewParticipant } from '../db/repository.js';
import { ApiError, notFound } from './errors.js';
import { sessionSettings } from '../mapping.js';
import { GroupCommit } from './group-commit.js';
import { type Api, responses } from './typed.js';

const CodeParams = z.object({ code: z.string().describe('Join code, case and separators ignored') });

/** Students one class may have by default (a rogue student cannot flood a class with fake ones). */
const DEFAULT_MAX_STUDENTS = 1000;

/**
 * `GET /api/join/:code` and `POST /api/join`: no sign-in; the code is the key. Unknown codes count
 * against the client address (limits.ts `join`): guessing codes ends in 429 with backoff. A class takes
 * at most `maxStudents` students (409 `CLASS_FULL` after that).
 */
export function joinRoutes(app: Api, ctx: ServerContext, maxStudents = DEFAULT_MAX_STUDENTS): void {
  const { repo, limiter } = ctx;
  // Joins into one class that arrive together are stored together (see group-commit.ts).
  const joins = new GroupCommit((sessionId: string, rows: NewParticipant[]) =>
    repo.createParticipants(sessionId, rows, maxStudents),
  );

  async function byCode(request: FastifyRequest, code: string) {
    await limiter.check('join', [request.ip]);
    const session = code.length > 20 ? null : await repo.getSessionByCode(normalizeJoinCode(code));
    if (!session) {
      await limiter.record('join', [request.ip]);
      throw notFound('No class with this code');
    }
    return session;
  }

  app.get(
    '/api/join/:code',
    { schema: { params: CodeParams, response: responses({ 200: JoinInfo }) } },
    async (request) => {
      const s = await byCode(request, request.params.code);
      if (s.endedAt !== null) throw new ApiError(410, 'SESSION_ENDED', 'This class has ended');
      return { title: s.title, settings: sessionSettings(s) };
    },
  );

  app.post(
    '/api/join',
    { schema: { body: JoinBody, response: responses({ 201: JoinResponse }) } },
    async (request, reply) => {
      const body = request.body;
      const s = await byCode(request, body.code);
      if (s.endedAt !== null) throw new ApiError(410, 'SESSION_ENDED', 'This class has ended');
      const token = newToken();
      const p = await joins.add(s.id, {
        id: randomUUID(),
        sessionId: s.id,
        name: body.name,
        tokenHash: hashToken(token),
        createdAt: Date.now(),
      });
      if (!p) throw new ApiError(409, 'CLASS_FULL', `This class is full (${maxStudents} students)`);
      const res: JoinResponse = {
        token,
        participantId: p.id,
        sessionId: s.id,
        title: s.title,
        settings: sessionSettings(s),
      };
      return reply.code(201).send(res);
    },
  );
}
