import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { JoinBody, type JoinInfo, type JoinResponse } from '@smartsession/protocol';
import { hashToken, newToken, normalizeJoinCode } from '../auth/crypto.js';
import type { ServerContext } from '../context.js';
import { ApiError, notFound, parse } from './errors.js';
import { sessionSettings } from './views.js';

/**
 * `GET /api/join/:code` and `POST /api/join`: no sign-in; the code is the key. Unknown codes count
 * against the client address (limits.ts `join`): guessing codes ends in 429 with backoff.
 */
export function joinRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, limiter } = ctx;

  async function byCode(request: FastifyRequest, code: string) {
    await limiter.check('join', [request.ip]);
    const session = code.length > 20 ? null : await repo.getSessionByCode(normalizeJoinCode(code));
    if (!session) {
      await limiter.record('join', [request.ip]);
      throw notFound('No class with this code');
    }
    return session;
  }

  app.get('/api/join/:code', async (request): Promise<JoinInfo> => {
    const { code } = request.params as { code: string };
    const s = await byCode(request, code);
    if (s.endedAt !== null) throw new ApiError(410, 'SESSION_ENDED', 'This class has ended');
    return { title: s.title, settings: sessionSettings(s) };
  });

  app.post('/api/join', async (request, reply) => {
    const body = parse(JoinBody, request.body);
    const s = await byCode(request, body.code);
    if (s.endedAt !== null) throw new ApiError(410, 'SESSION_ENDED', 'This class has ended');
    const token = newToken();
    const p = await repo.createParticipant({
      id: randomUUID(),
      sessionId: s.id,
      name: body.name,
      tokenHash: hashToken(token),
      createdAt: Date.now(),
    });
    const res: JoinResponse = {
      token,
      participantId: p.id,
      sessionId: s.id,
      title: s.title,
      settings: sessionSettings(s),
    };
    return reply.code(201).send(res);
  });
}
