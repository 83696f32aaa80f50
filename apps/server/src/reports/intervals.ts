import { StudentStatus, type AlertCode, type StatusSeconds } from '@smartsession/protocol';
import type { ReportStatusChangeInput } from './input.js';

/** A stretch of time `[from, to)` (server ms) a student spent in one status. */
export interface StatusSegment {
  status: StudentStatus;
  alert: AlertCode | null;
  from: number;
  to: number;
}

/** Every status, in the order the report lists them. */
export const STATUSES: readonly StudentStatus[] = StudentStatus.options;

/** A status a newer version stored, unknown to this one, counts as `no-signal`. */
const KNOWN: ReadonlySet<string> = new Set(STATUSES);

/** Zero for every status. */
export function zeroStatus(): StatusSeconds {
  return {
    focused: 0,
    confused: 0,
    alert: 0,
    calibrating: 0,
    paused: 0,
    'camera-off': 0,
    'no-signal': 0,
    offline: 0,
  };
}

/**
 * A student's status segments within `[from, to]`, from the status changes stored for them (in stored
 * order). Before the first change the student is `offline` (joined, not connected). A change stored
 * later but stamped earlier than the one before it (telemetry replayed after a reconnect) takes effect
 * at the earlier change's time, so time spent disconnected stays `offline`. An unknown status counts as
 * `no-signal`. Empty segments are left out.
 */
export function statusSegments(
  changes: ReportStatusChangeInput[],
  from: number,
  to: number,
): StatusSegment[] {
  const out: StatusSegment[] = [];
  let cur: StatusSegment = { status: 'offline', alert: null, from, to };
  let last = -Infinity;
  const push = (end: number) => {
    const a = Math.max(cur.from, from);
    const b = Math.min(end, to);
    if (b > a) out.push({ status: cur.status, alert: cur.alert, from: a, to: b });
  };
  for (const c of changes) {
    const t = Math.max(c.t, last);
    last = t;
    push(t);
    const status = KNOWN.has(c.status) ? c.status : 'no-signal';
    cur = { status, alert: status === 'alert' ? c.alert : null, from: t, to };
  }
  push(to);
  return out;
}

/** Alert codes that mean the student was away from the screen. */
const AWAY_CODES: ReadonlySet<string> = new Set(['NO_PERSON', 'GAZE_AWAY']);

/** Milliseconds per status over `segments`, and the ms of away alerts. */
export function sumSegments(segments: StatusSegment[]): { ms: StatusSeconds; awayMs: number } {
  const ms = zeroStatus();
  let awayMs = 0;
  for (const s of segments) {
    ms[s.status] += s.to - s.from;
    if (s.status === 'alert' && s.alert !== null && AWAY_CODES.has(s.alert)) awayMs += s.to - s.from;
  }
  return { ms, awayMs };
}
