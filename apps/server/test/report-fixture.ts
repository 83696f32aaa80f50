import type { AlertCode, AlertRecord, StudentStatus } from '@smartsession/protocol';

/**
 * A scripted 10-minute session with two students, and the report numbers worked out by hand from it.
 * Times are offsets (ms) from the session start S.
 */
export const S = Date.UTC(2026, 0, 12, 9, 0, 0);
export const END = S + 600_000;

const A = 'p-alice';
const B = 'p-bob';

/** Status changes in stored order (A's reconnect replays a change stamped before the reconnect). */
const changes: Array<[string, number, StudentStatus, AlertCode | null]> = [
  [A, 1_000, 'no-signal', null],
  [A, 2_000, 'calibrating', null],
  [A, 10_000, 'focused', null],
  [A, 100_000, 'confused', null],
  [B, 121_000, 'calibrating', null],
  [B, 125_000, 'focused', null],
  [B, 130_000, 'alert', 'NO_PERSON'],
  [B, 150_000, 'confused', null],
  [A, 160_000, 'focused', null],
  [A, 200_000, 'alert', 'GAZE_AWAY'],
  [A, 212_500, 'focused', null],
  [B, 250_000, 'focused', null],
  [A, 300_000, 'offline', null],
  [A, 330_000, 'no-signal', null],
  [A, 325_000, 'focused', null],
  [A, 400_000, 'alert', 'MULTIPLE_PEOPLE'],
  [A, 405_000, 'focused', null],
  [A, 500_000, 'confused', null],
  [A, 520_000, 'focused', null],
  [A, 700_000, 'confused', null],
];

/** Proctor alerts and self-reports: [id, participant, kind, code, start, end]. */
const alertRows: Array<[string, string, AlertRecord['kind'], AlertCode | null, number, number | null]> = [
  ['a1', A, 'proctor', 'GAZE_AWAY', 200_000, 212_500],
  ['a2', A, 'proctor', 'MULTIPLE_PEOPLE', 400_000, 405_000],
  ['b1', B, 'proctor', 'NO_PERSON', 130_000, 150_000],
  ['a3', A, 'self_report', null, 100_500, 150_000],
  ['b2', B, 'self_report', null, 140_000, null],
];

/** Raw samples [participant, t, score]: the last two are at the end (kept) and after it (left out). */
const sampleRows: Array<[string, number, number | null]> = [
  [A, 100_000, 0.75],
  [A, 105_000, 0.5],
  [A, 106_000, null],
  [B, 200_000, 0.75],
  [B, 201_000, 0.25],
  [B, 600_000, 1],
  [B, 600_001, 0.5],
];

/** The scripted session as plain rows. */
export function scriptedRows() {
  return {
    session: {
      id: 'sess-1',
      title: 'Fractions, "part 2", 5B',
      mode: 'support' as const,
      emotion: 'on' as const,
      anonymous: false,
      createdAt: S,
      endedAt: END,
    },
    participants: [
      { id: A, name: 'Alice, "Ali" Smith', number: 1, createdAt: S },
      { id: B, name: '=HYPERLINK("x")\nBob', number: 2, createdAt: S + 120_000 },
    ],
    statusChanges: changes.map(([participantId, dt, status, alert]) => ({
      participantId,
      t: S + dt,
      status,
      alert,
    })),
    alerts: alertRows.map(([id, participantId, kind, code, a, b]) => ({
      id,
      participantId,
      kind,
      code,
      startedAt: S + a,
      endedAt: b === null ? null : S + b,
    })),
    samples: sampleRows.map(([participantId, dt, score]) => ({ participantId, t: S + dt, score })),
    markers: [
      { id: 'm2', t: S + 495_000, label: 'decimals' },
      { id: 'm1', t: S + 95_000, label: 'fractions' },
    ],
  };
}

/** The expected per-student numbers, worked out by hand (seconds). */
export const expected = {
  alice: {
    observedSeconds: 600,
    seconds: {
      focused: 90 + 40 + 87.5 + 70 + 95 + 80,
      confused: 60 + 20,
      alert: 12.5 + 5,
      calibrating: 8,
      paused: 0,
      'camera-off': 0,
      'no-signal': 1,
      offline: 1 + 30,
    },
    awaySeconds: 12.5,
    meanScore: 0.625,
    sampleCount: 3,
    alerts: [
      { code: 'GAZE_AWAY', durationSeconds: 12.5 },
      { code: 'MULTIPLE_PEOPLE', durationSeconds: 5 },
    ],
    selfReports: [49.5],
  },
  bob: {
    observedSeconds: 480,
    seconds: {
      focused: 5 + 350,
      confused: 100,
      alert: 20,
      calibrating: 4,
      paused: 0,
      'camera-off': 0,
      'no-signal': 0,
      offline: 1,
    },
    awaySeconds: 20,
    meanScore: 0.6667,
    sampleCount: 3,
    alerts: [{ code: 'NO_PERSON', durationSeconds: 20 }],
    selfReports: [460],
  },
};
