import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { JoinBody, type JoinInfo, type JoinResponse } from '@smartsession/protocol';
import { hashToken, newToken, normalizeJoinCode } from '../auth/crypto.js';
import type { Repository } from '../db/repository.js';
import { ApiError, notFound, parse } from './errors.js';
import { sessionSettings } from './views.js';

/** `GET /api/join/:code` and `POST /api/join`: no sign-in; the code is the key. */
export function joinRoutes(app: FastifyInstance, repo: Repository): void {
  async function byCode(code: string) {
    const session = await repo.getSessionByCode(normalizeJoinCode(code));
    if (!session) throw notFound('No class with this code');
    return session;
  }

  app.get('/api/join/:code', async (request): Promise<JoinInfo> => {
    const { code } = request.params as { code: string };
    if (code.length > 20) throw notFound('No class with this code');
    const s = await byCode(code);
    if (s.endedAt !== null) throw new ApiError(410, 'SESSION_ENDED', 'This class has ended');
    return { title: s.title, settings: sessionSettings(s) };
  });

  app.post('/api/join', async (request, reply) => {
    const body = parse(JoinBody, request.body);
    const s = await byCode(body.code);
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
