import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AlertRecord,
  CreateMarkerBody,
  CreateSessionBody,
  Marker,
  ParticipantExport,
  ParticipantInfo,
  SessionDetail,
  SessionInfo,
  SessionListResponse,
  TimelineResponse,
  UpdateParticipantBody,
  UpdateSessionBody,
} from '@smartsession/protocol';
import { newJoinCode } from '../auth/crypto.js';
import type { SessionRow } from '../db/repository.js';
import type { ServerContext } from '../context.js';
import {
  alertRecord,
  markerRecord,
  participantInfo,
  sessionInfo,
  statusChangeRecord,
  timelinePoint,
} from '../mapping.js';
import { requireTeacher } from './auth.js';
import type { AuditAction, AuditEvent } from '../ops/audit.js';
import { ApiError, notFound, parse } from './errors.js';
import { type Api, guard, responses, SessionParams } from './typed.js';

const ParticipantParams = SessionParams.extend({ pid: z.string().describe('Participant id') });
const AlertParams = SessionParams.extend({ alertId: z.string().describe('Alert id') });

const TimelineQuery = z.object({
  participantId: z.string().max(100).optional(),
  since: z.coerce.number().finite().min(0).optional(),
});

/** `/api/sessions/*`: the signed-in teacher's own sessions only (404 for anyone else's). */
export function sessionRoutes(app: Api, ctx: ServerContext): void {
  const { repo, hub, audit } = ctx;

  // Sign-in (401), then ownership (404), are answered before the input is checked (400).
  const teacher = guard((request) => requireTeacher(repo, request));
  async function ownedSession(request: FastifyRequest): Promise<SessionRow> {
    const t = await requireTeacher(repo, request);
    const { id } = parse(SessionParams, request.params);
    const session = await repo.getSession(id);
    if (!session || session.teacherId !== t.id) throw notFound('No such session');
    return session;
  }
  const owned = guard(ownedSession);
  const ownedParticipant = guard(async (request) => {
    const session = await ownedSession(request);
    const { pid } = parse(ParticipantParams, request.params);
    const p = await repo.getParticipant(pid);
    if (!p || p.sessionId !== session.id) throw notFound('No such participant');
    return { session, participant: p };
  });

  /** Records a teacher action on a session they own (see ops/audit.ts). */
  const record = (request: FastifyRequest, s: SessionRow, action: AuditAction, e: AuditEvent = {}) =>
    audit.record(request, s.teacherId, action, { sessionId: s.id, ...e });

  app.post(
    '/api/sessions',
    {
      schema: { body: CreateSessionBody, response: responses({ 201: SessionInfo }) },
      preValidation: teacher.hook,
    },
    async (request, reply) => {
      const body = request.body;
      for (let attempt = 0; attempt < 10; attempt++) {
        const row: SessionRow = {
          id: randomUUID(),
          teacherId: teacher.of(request).id,
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
    },
  );

  app.get(
    '/api/sessions',
    { schema: { response: responses({ 200: SessionListResponse }) }, preValidation: teacher.hook },
    async (request) => {
      const rows = await repo.listSessions(teacher.of(request).id);
      return { sessions: rows.map((r) => sessionInfo(r, ctx.publicUrl(), r.participantCount)) };
    },
  );

  app.get(
    '/api/sessions/:id',
    {
      schema: { params: SessionParams, response: responses({ 200: SessionDetail }) },
      preValidation: owned.hook,
    },
    async (request) => {
      const s = owned.of(request);
      const participants = await repo.listParticipants(s.id);
      return {
        ...sessionInfo(s, ctx.publicUrl(), participants.length),
        participants: participants.map((p) => participantInfo(p, s.anonymous)),
      };
    },
  );

  app.patch(
    '/api/sessions/:id',
    {
      schema: { params: SessionParams, body: UpdateSessionBody, response: responses({ 200: SessionInfo }) },
      preValidation: owned.hook,
    },
    async (request) => {
      const s = owned.of(request);
      const body = request.body;
      const updated = (await repo.updateSession(s.id, body)) ?? s;
      await record(request, s, 'session.update', { details: { ...body } });
      await hub.settingsChanged(updated);
      return sessionInfo(updated, ctx.publicUrl());
    },
  );

  app.post(
    '/api/sessions/:id/end',
    {
      schema: { params: SessionParams, response: responses({ 200: SessionInfo }) },
      preValidation: owned.hook,
    },
    async (request) => {
      const s = owned.of(request);
      const ended = (await repo.endSession(s.id, Date.now())) ?? s;
      await record(request, s, 'session.end');
      await hub.sessionEnded(ended);
      return sessionInfo(ended, ctx.publicUrl());
    },
  );

  app.delete(
    '/api/sessions/:id',
    {
      schema: { params: SessionParams, response: responses({ 204: z.void() }) },
      preValidation: owned.hook,
    },
    async (request, reply) => {
      const s = owned.of(request);
      await hub.sessionDeleted(s.id);
      await repo.deleteSession(s.id);
      await record(request, s, 'session.delete', { details: { title: s.title } });
      return reply.code(204).send();
    },
  );

  app.patch(
    '/api/sessions/:id/participants/:pid',
    {
      schema: {
        params: ParticipantParams,
        body: UpdateParticipantBody,
        response: responses({ 200: ParticipantInfo }),
      },
      preValidation: ownedParticipant.hook,
    },
    async (request) => {
      const { session, participant } = ownedParticipant.of(request);
      const { accommodations } = request.body;
      const updated = (await repo.updateAccommodations(participant.id, accommodations)) ?? participant;
      await record(request, session, 'participant.update', {
        targetId: participant.id,
        details: { accommodations },
      });
      hub.accommodationsChanged(session, updated);
      return participantInfo(updated, session.anonymous);
    },
  );

  app.delete(
    '/api/sessions/:id/participants/:pid',
    {
      schema: { params: ParticipantParams, response: responses({ 204: z.void() }) },
      preValidation: ownedParticipant.hook,
    },
    async (request, reply) => {
      const { session, participant } = ownedParticipant.of(request);
      await hub.participantDeleted(session.id, participant.id);
      await repo.deleteParticipant(participant.id);
      await record(request, session, 'participant.delete', { targetId: participant.id });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/sessions/:id/participants/:pid/export',
    {
      schema: { params: ParticipantParams, response: responses({ 200: ParticipantExport }) },
      preValidation: ownedParticipant.hook,
    },
    async (request, reply) => {
      const { session, participant } = ownedParticipant.of(request);
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
        statusChanges: changes.map(statusChangeRecord),
        alerts: alerts.map(alertRecord),
      };
    },
  );

  app.post(
    '/api/sessions/:id/markers',
    {
      schema: { params: SessionParams, body: CreateMarkerBody, response: responses({ 201: Marker }) },
      preValidation: owned.hook,
    },
    async (request, reply) => {
      const s = owned.of(request);
      const marker: Marker = { id: randomUUID(), t: Date.now(), label: request.body.label };
      await repo.createMarker({ ...marker, sessionId: s.id });
      hub.markerAdded(s.id, marker);
      return reply.code(201).send(marker);
    },
  );

  app.post(
    '/api/sessions/:id/alerts/:alertId/ack',
    {
      schema: { params: AlertParams, response: responses({ 200: AlertRecord }) },
      preValidation: owned.hook,
    },
    async (request) => {
      const s = owned.of(request);
      const { alertId } = request.params;
      await hub.flush();
      const existing = await repo.getAlert(alertId);
      if (!existing || existing.sessionId !== s.id) throw notFound('No such alert');
      const t = Date.now();
      const alert = (await repo.acknowledgeAlert(alertId, t)) ?? existing;
      hub.alertAcknowledged(s.id, alert);
      return alertRecord(alert);
    },
  );

  app.get(
    '/api/sessions/:id/timeline',
    {
      schema: {
        params: SessionParams,
        querystring: TimelineQuery,
        response: responses({ 200: TimelineResponse }),
      },
      preValidation: owned.hook,
    },
    async (request) => {
      const s = owned.of(request);
      const q = request.query;
      await hub.flush();
      const [samples, alerts, markers] = await Promise.all([
        repo.listSamples(s.id, { participantId: q.participantId, since: q.since }),
        repo.listAlerts(s.id, { participantId: q.participantId, since: q.since }),
        repo.listMarkers(s.id),
      ]);
      return {
        samples: samples.map(timelinePoint),
        alerts: alerts.map(alertRecord),
        markers: markers.map(markerRecord),
      };
    },
  );
}
