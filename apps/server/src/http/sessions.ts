import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  CreateMarkerBody,
  CreateSessionBody,
  UpdateParticipantBody,
  UpdateSessionBody,
  type Marker,
  type SessionListResponse,
  type TimelineResponse,
} from '@smartsession/protocol';
import { newJoinCode } from '../auth/crypto.js';
import type { SessionRow } from '../db/repository.js';
import type { ServerContext } from '../context.js';
import { alertRecord } from '../mapping.js';
import { requireTeacher } from './auth.js';
import type { AuditAction, AuditEvent } from '../ops/audit.js';
import { ApiError, notFound, parse } from './errors.js';
import { participantInfo, sessionInfo, timelinePoint } from './views.js';

const TimelineQuery = z.object({
  participantId: z.string().max(100).optional(),
  since: z.coerce.number().finite().min(0).optional(),
});

/** `/api/sessions/*`: the signed-in teacher's own sessions only (404 for anyone else's). */
export function sessionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, hub, audit } = ctx;

  async function owned(request: FastifyRequest): Promise<SessionRow> {
    const teacher = await requireTeacher(repo, request);
    const { id } = request.params as { id: string };
    const session = await repo.getSession(id);
    if (!session || session.teacherId !== teacher.id) throw notFound('No such session');
    return session;
  }

  /** Records a teacher action on a session they own (see ops/audit.ts). */
  const record = (request: FastifyRequest, s: SessionRow, action: AuditAction, e: AuditEvent = {}) =>
    audit.record(request, s.teacherId, action, { sessionId: s.id, ...e });

  async function ownedParticipant(request: FastifyRequest) {
    const session = await owned(request);
    const { pid } = request.params as { pid: string };
    const p = await repo.getParticipant(pid);
    if (!p || p.sessionId !== session.id) throw notFound('No such participant');
    return { session, participant: p };
  }

  app.post('/api/sessions', async (request, reply) => {
    const teacher = await requireTeacher(repo, request);
    const body = parse(CreateSessionBody, request.body);
    for (let attempt = 0; attempt < 10; attempt++) {
      const row: SessionRow = {
        id: randomUUID(),
        teacherId: teacher.id,
        title: body.title,
        joinCode: newJoinCode(),
        mode: body.mode ?? 'support',
        emotion: body.emotion ?? 'on',
        lookAwaySeconds: body.lookAwaySeconds ?? 4,
        anonymous: body.anonymous ?? false,
        serverAnalysis: body.serverAnalysis ?? false,
        createdAt: Date.now(),
        endedAt: null,
        participantCount: 0,
      };
      if (await repo.createSession(row)) {
        await record(request, row, 'session.create', {
          details: {
            title: row.title,
            mode: row.mode,
            emotion: row.emotion,
            anonymous: row.anonymous,
            serverAnalysis: row.serverAnalysis,
          },
        });
        return reply.code(201).send(sessionInfo(row, ctx.publicUrl(), 0));
      }
    }
    throw new ApiError(409, 'CONFLICT', 'Could not allocate a join code');
  });

  app.get('/api/sessions', async (request): Promise<SessionListResponse> => {
    const teacher = await requireTeacher(repo, request);
    const rows = await repo.listSessions(teacher.id);
    return { sessions: rows.map((r) => sessionInfo(r, ctx.publicUrl(), r.participantCount)) };
  });

  app.get('/api/sessions/:id', async (request) => {
    const s = await owned(request);
    const participants = await repo.listParticipants(s.id);
    return {
      ...sessionInfo(s, ctx.publicUrl(), participants.length),
      participants: participants.map((p) => participantInfo(p, s.anonymous)),
    };
  });

  app.patch('/api/sessions/:id', async (request) => {
    const s = await owned(request);
    const body = parse(UpdateSessionBody, request.body);
    const updated = (await repo.updateSession(s.id, body)) ?? s;
    await record(request, s, 'session.update', { details: { ...body } });
    await hub.settingsChanged(updated);
    return sessionInfo(updated, ctx.publicUrl());
  });

  app.post('/api/sessions/:id/end', async (request) => {
    const s = await owned(request);
    const ended = (await repo.endSession(s.id, Date.now())) ?? s;
    await record(request, s, 'session.end');
    await hub.sessionEnded(ended);
    return sessionInfo(ended, ctx.publicUrl());
  });

  app.delete('/api/sessions/:id', async (request, reply) => {
    const s = await owned(request);
    await hub.sessionDeleted(s.id);
    await repo.deleteSession(s.id);
    await record(request, s, 'session.delete', { details: { title: s.title } });
    return reply.code(204).send();
  });

  app.patch('/api/sessions/:id/participants/:pid', async (request) => {
    const { session, participant } = await ownedParticipant(request);
    const body = parse(UpdateParticipantBody, request.body);
    const updated = (await repo.updateAccommodations(participant.id, body.accommodations)) ?? participant;
    await record(request, session, 'participant.update', {
      targetId: participant.id,
      details: { accommodations: body.accommodations },
    });
    hub.accommodationsChanged(session, updated);
    return participantInfo(updated, session.anonymous);
  });

  app.delete('/api/sessions/:id/participants/:pid', async (request, reply) => {
    const { session, participant } = await ownedParticipant(request);
    await hub.participantDeleted(session.id, participant.id);
    await repo.deleteParticipant(participant.id);
    await record(request, session, 'participant.delete', { targetId: participant.id });
    return reply.code(204).send();
  });

  app.get('/api/sessions/:id/participants/:pid/export', async (request, reply) => {
    const { session, participant } = await ownedParticipant(request);
    await record(request, session, 'participant.export', { targetId: participant.id });
    await hub.flush();
    const [samples, changes, alerts] = await Promise.all([
      repo.listSamples(session.id, { participantId: participant.id }),
      repo.listStatusChanges(session.id, participant.id),
      repo.listAlerts(session.id, { participantId: participant.id }),
    ]);
    reply.header('content-disposition', `attachment; filename="participant-${participant.id}.json"`);
    return {
      // An anonymous session stays anonymous in its exports: the pseudonym, never the typed name.
      participant: { ...participantInfo(participant, session.anonymous), sessionId: session.id },
      samples: samples.map((r) => ({ ...timelinePoint(r), frame: r.frame })),
      statusChanges: changes.map((c) => ({
        t: c.t,
        seq: c.seq,
        status: c.status,
        alert: c.alert,
        reason: c.reason,
      })),
      alerts: alerts.map(alertRecord),
    };
  });

  app.post('/api/sessions/:id/markers', async (request, reply) => {
    const s = await owned(request);
    const body = parse(CreateMarkerBody, request.body);
    const marker: Marker = { id: randomUUID(), t: Date.now(), label: body.label };
    await repo.createMarker({ ...marker, sessionId: s.id });
    hub.markerAdded(s.id, marker);
    return reply.code(201).send(marker);
  });

  app.post('/api/sessions/:id/alerts/:alertId/ack', async (request) => {
    const s = await owned(request);
    const { alertId } = request.params as { alertId: string };
    await hub.flush();
    const existing = await repo.getAlert(alertId);
    if (!existing || existing.sessionId !== s.id) throw notFound('No such alert');
    const t = Date.now();
    const alert = (await repo.acknowledgeAlert(alertId, t)) ?? existing;
    hub.alertAcknowledged(s.id, alert);
    return alertRecord(alert);
  });

  app.get('/api/sessions/:id/timeline', async (request): Promise<TimelineResponse> => {
    const s = await owned(request);
    const q = parse(TimelineQuery, request.query);
    await hub.flush();
    const [samples, alerts, markers] = await Promise.all([
      repo.listSamples(s.id, { participantId: q.participantId, since: q.since }),
      repo.listAlerts(s.id, { participantId: q.participantId, since: q.since }),
      repo.listMarkers(s.id),
    ]);
    return {
      samples: samples.map(timelinePoint),
      alerts: alerts.map(alertRecord),
      markers: markers.map((m) => ({ id: m.id, t: m.t, label: m.label })),
    };
  });
}
