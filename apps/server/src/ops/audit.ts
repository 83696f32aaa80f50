/**
 * The audit log of teacher actions: sign-ins (and failed ones on the account), session changes,
 * deletions and exports, each with time, target and client address, stored in the database before the
 * action's answer is sent (an export whose entry cannot be written is not served). The teacher reads
 * their own log with `GET /api/audit` (the "Activity" page).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AuditResponse } from '@smartsession/protocol';
import type { Repository } from '../db/repository.js';
import { requireTeacher } from '../http/auth.js';
import { type Api, guard, responses } from '../http/typed.js';
import { auditEntry } from '../mapping.js';

/** Every action recorded. */
export type AuditAction =
  | 'auth.signup'
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'session.create'
  | 'session.update'
  | 'session.end'
  | 'session.delete'
  | 'participant.update'
  | 'participant.delete'
  | 'participant.export'
  | 'report.view'
  | 'report.export';

export interface AuditEvent {
  sessionId?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** Records teacher actions (see the file comment). */
export class AuditLog {
  constructor(private readonly repo: Repository) {}

  async record(request: FastifyRequest, teacherId: string, action: AuditAction, e: AuditEvent = {}) {
    await this.repo.addAudit({
      teacherId,
      t: Date.now(),
      action,
      sessionId: e.sessionId ?? null,
      targetId: e.targetId ?? null,
      details: e.details ?? null,
      ip: request.ip,
    });
  }
}

const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  before: z.coerce.number().int().min(1).optional(),
});

/** `GET /api/audit?limit=&before=`: the signed-in teacher's own entries, newest first. */
export function auditRoutes(app: Api, repo: Repository): void {
  const teacher = guard((request) => requireTeacher(repo, request));
  app.get(
    '/api/audit',
    {
      schema: { querystring: AuditQuery, response: responses({ 200: AuditResponse }) },
      preValidation: teacher.hook,
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? 100;
      const rows = await repo.listAudit(teacher.of(request).id, { limit, before: q.before });
      return {
        entries: rows.map(auditEntry),
        next: rows.length === limit ? rows[rows.length - 1]!.id : null,
      };
    },
  );
}
