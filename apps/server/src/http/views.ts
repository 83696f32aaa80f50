import type { FastifyRequest } from 'fastify';
import type { ParticipantInfo, SessionInfo, TimelinePoint } from '@smartsession/protocol';
import { formatJoinCode } from '../auth/crypto.js';
import type { ParticipantRow, SampleRow, SessionRow } from '../db/repository.js';
import { displayName, sessionSettings } from '../mapping.js';

/** Absolute origin of a request (for join URLs). */
export function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** A stored session as its teacher sees it. */
export function sessionInfo(s: SessionRow, base: string, participantCount?: number): SessionInfo {
  const code = formatJoinCode(s.joinCode);
  return {
    id: s.id,
    title: s.title,
    joinCode: code,
    joinUrl: `${base}/join/${code}`,
    settings: sessionSettings(s),
    createdAt: s.createdAt,
    endedAt: s.endedAt,
    ...(participantCount === undefined ? {} : { participantCount }),
  };
}

/** A participant as the HTTP API lists it. */
export function participantInfo(p: ParticipantRow, anonymous: boolean): ParticipantInfo {
  return {
    id: p.id,
    name: displayName(p, anonymous),
    joinedAt: p.createdAt,
    accommodations: p.accommodations,
  };
}

/** A stored sample as a timeline point. */
export function timelinePoint(r: SampleRow): TimelinePoint {
  return {
    participantId: r.participantId,
    t: r.t,
    ct: r.ct,
    seq: r.seq,
    score: r.score,
    status: r.status,
  };
}
