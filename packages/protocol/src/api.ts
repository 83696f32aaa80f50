import { z } from 'zod';
import { SessionInfo, displayText } from './http.js';
import { FrameResult } from './frame.js';
import { AlertRecord, ErrorInfo, Marker, Sample } from './messages.js';
import { AlertCode, StudentStatus } from './status.js';
import { Accommodations, EmotionSetting, SessionMode, SessionSettings } from './status.js';

/** `GET /api/join/:code` response: what a student sees before joining. */
export const JoinInfo = z.object({ title: z.string(), settings: SessionSettings });
/** Join info. */
export type JoinInfo = z.infer<typeof JoinInfo>;

/** `GET /api/sessions` response: the signed-in teacher's sessions, newest first. */
export const SessionListResponse = z.object({ sessions: z.array(SessionInfo) });
/** Session list. */
export type SessionListResponse = z.infer<typeof SessionListResponse>;

/** `PATCH /api/sessions/:id` body: any subset of the session settings. */
export const UpdateSessionBody = z
  .object({
    anonymous: z.boolean().optional(),
    emotion: EmotionSetting.optional(),
    /** Default look-away limit, seconds. */
    lookAwaySeconds: z.number().min(1).max(120).optional(),
    mode: SessionMode.optional(),
    /** Allow server analysis for devices that cannot analyse in the browser. */
    serverAnalysis: z.boolean().optional(),
  })
  .strict();
/** Update-session body. */
export type UpdateSessionBody = z.infer<typeof UpdateSessionBody>;

/** `PATCH /api/sessions/:id/participants/:pid` body: the student's accommodations (replaces them). */
export const UpdateParticipantBody = z.object({ accommodations: Accommodations }).strict();
/** Update-participant body. */
export type UpdateParticipantBody = z.infer<typeof UpdateParticipantBody>;

/** `POST /api/sessions/:id/markers` body. */
export const CreateMarkerBody = z.object({ label: displayText(1, 120) }).strict();
/** Create-marker body. */
export type CreateMarkerBody = z.infer<typeof CreateMarkerBody>;

/** A participant as the HTTP API lists it (name is a pseudonym in anonymous sessions). Times are ms. */
export const ParticipantInfo = z.object({
  id: z.string(),
  name: z.string(),
  joinedAt: z.number(),
  accommodations: Accommodations,
});
/** Participant info. */
export type ParticipantInfo = z.infer<typeof ParticipantInfo>;

/** One stored sample (about 1 per second per student): the same shape as a live {@link Sample}. */
export const TimelinePoint = Sample;
/** Timeline point. */
export type TimelinePoint = z.infer<typeof TimelinePoint>;

/** `GET /api/sessions/:id/timeline?participantId=&since=` response, oldest first. */
export const TimelineResponse = z.object({
  samples: z.array(TimelinePoint),
  alerts: z.array(AlertRecord),
  markers: z.array(Marker),
});
/** Timeline response. */
export type TimelineResponse = z.infer<typeof TimelineResponse>;

/** One entry of a teacher's audit log (`GET /api/audit`): what was done, when, on what, from where. */
export const AuditEntry = z.object({
  id: z.number(),
  t: z.number(),
  action: z.string(),
  sessionId: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
});
/** Audit entry. */
export type AuditEntry = z.infer<typeof AuditEntry>;

/** `GET /api/audit?before=&limit=` response, newest first; `next` pages on (`before=next`). */
export const AuditResponse = z.object({ entries: z.array(AuditEntry), next: z.number().nullable() });
/** Audit response. */
export type AuditResponse = z.infer<typeof AuditResponse>;

/** Every HTTP error (4xx, 5xx): `{"error":{"code","message"}}`. */
export const ApiErrorBody = z.object({ error: ErrorInfo });
/** API error body. */
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** `POST /api/auth/logout` response. */
export const OkResponse = z.object({ ok: z.literal(true) });
/** Ok response. */
export type OkResponse = z.infer<typeof OkResponse>;

/** `GET /api/sessions/:id` response: the session and its students, in join order. */
export const SessionDetail = SessionInfo.extend({ participants: z.array(ParticipantInfo) });
/** Session detail. */
export type SessionDetail = z.infer<typeof SessionDetail>;

/**
 * `GET /api/sessions/:id/participants/:pid/export` response: everything stored about one student
 * (pseudonymised in anonymous sessions). Times are server ms.
 */
export const ParticipantExport = z.object({
  participant: ParticipantInfo.extend({ sessionId: z.string() }),
  /** Stored samples, oldest first, each with the frame result it carried. */
  samples: z.array(TimelinePoint.extend({ frame: FrameResult.nullable() })),
  /** Status changes, oldest first; `seq` null when the server decided it (connect, disconnect). */
  statusChanges: z.array(
    z.object({
      t: z.number(),
      seq: z.number().int().nullable(),
      status: StudentStatus,
      alert: AlertCode.nullable(),
      /** A `Reason` as stored (rows older than protocol 2 hold a sentence). */
      reason: z.unknown(),
    }),
  ),
  alerts: z.array(AlertRecord),
});
/** Participant export. */
export type ParticipantExport = z.infer<typeof ParticipantExport>;
