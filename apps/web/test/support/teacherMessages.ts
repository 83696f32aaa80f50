/** Teacher-side messages for the dashboard's unit tests (state and store). */
import type { AlertRecord, ServerToTeacherMessage, StudentState } from '@smartsession/protocol';

/** A support session, emotion off. */
export const settings = { mode: 'support', emotion: 'off', lookAwaySeconds: 4, anonymous: false } as const;

/** A focused, connected student `id` (name: `id` in capitals), with `over` on top. */
export function student(id: string, over: Partial<StudentState> = {}): StudentState {
  return {
    participantId: id,
    name: id.toUpperCase(),
    status: 'focused',
    alert: null,
    reason: null,
    number: 1,
    statusSince: 1000,
    lastSeenAt: 1000,
    connected: true,
    lostSince: null,
    frame: null,
    accommodations: {},
    ...over,
  };
}

/** A proctor alert of student `a`, open unless `endedAt` is given. */
export const alert = (id: string, startedAt: number, endedAt: number | null = null): AlertRecord => ({
  id,
  participantId: 'a',
  kind: 'proctor',
  code: 'NO_PERSON',
  startedAt,
  endedAt,
  acknowledgedAt: null,
});

type Snapshot = Extract<ServerToTeacherMessage, { type: 'snapshot' }>;

/** A snapshot of session `s1` with these students, no alerts or markers unless `over` has them. */
export const snapshot = (students: StudentState[], over: Partial<Snapshot> = {}): Snapshot => ({
  type: 'snapshot',
  sessionId: 's1',
  serverTime: Date.now(),
  settings,
  endedAt: null,
  students,
  alerts: [],
  markers: [],
  ...over,
});
