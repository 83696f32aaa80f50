import type { ParticipantInfo, SessionInfo, TimelinePoint } from '@smartsession/protocol';
import { formatJoinCode } from '../auth/crypto.js';
import type { ParticipantRow, SampleRow, SessionRow } from '../db/repository.js';
import { displayName, sessionSettings } from '../mapping.js';

/** A stored session as its teacher sees it; `base` is the public origin (`PUBLIC_URL`), never a request's Host. */
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
