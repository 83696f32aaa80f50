import type { ReportAlert, ReportSelfReport, SessionReport, StudentReport } from '@smartsession/protocol';
import { bucketCount, reportEnd, type ReportInput } from './input.js';
import { type StatusSegment, STATUSES, statusSegments, sumSegments, zeroStatus } from './intervals.js';
import { classTimeline, findPeaks, round4 } from './timeline.js';

/** Milliseconds to seconds (inputs are whole ms, so this is exact to the ms). */
const sec = (ms: number) => ms / 1000;

function groupBy<T extends { participantId: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const list = map.get(r.participantId);
    if (list) list.push(r);
    else map.set(r.participantId, [r]);
  }
  return map;
}

/** Duration of `[startedAt, endedAt ?? end]` clipped to `[start, end]`, seconds. */
function clippedSeconds(
  a: { startedAt: number; endedAt: number | null },
  start: number,
  end: number,
): number {
  const from = Math.max(a.startedAt, start);
  const to = Math.min(a.endedAt ?? end, end);
  return sec(Math.max(0, to - from));
}

/**
 * Builds the session report from plain stored rows. Pure and deterministic: the same input gives the
 * same report. Per student, time in each status integrates the status changes from joining to the
 * session's end (or `now`), clipped to the session; disconnects are stored as `offline` changes.
 */
export function buildReport(input: ReportInput): SessionReport {
  const { session, bucketMs } = input;
  const start = session.createdAt;
  const end = reportEnd(session, input.now);
  const changes = groupBy(input.statusChanges);
  const alerts = groupBy([...input.alerts].sort((a, b) => a.startedAt - b.startedAt || cmp(a.id, b.id)));
  const samples = new Map(input.sampleSums.byParticipant.map((x) => [x.participantId, x]));
  const allSegments: StatusSegment[] = [];

  const students = [...input.participants]
    .sort((a, b) => a.number - b.number)
    .map((p): StudentReport => {
      const from = Math.min(Math.max(p.createdAt, start), end);
      const segments = statusSegments(changes.get(p.id) ?? [], from, end);
      allSegments.push(...segments);
      const { ms, awayMs } = sumSegments(segments);
      const seconds = zeroStatus();
      for (const st of STATUSES) seconds[st] = sec(ms[st]);
      const mine = alerts.get(p.id) ?? [];
      const proctor: ReportAlert[] = mine.flatMap(({ kind, code, ...a }) =>
        kind === 'proctor' && code !== null
          ? [
              {
                id: a.id,
                code,
                startedAt: a.startedAt,
                endedAt: a.endedAt,
                durationSeconds: clippedSeconds(a, start, end),
              },
            ]
          : [],
      );
      const selfReports: ReportSelfReport[] = mine
        .filter((a) => a.kind === 'self_report')
        .map((a) => ({
          id: a.id,
          startedAt: a.startedAt,
          endedAt: a.endedAt,
          durationSeconds: clippedSeconds(a, start, end),
        }));
      const { count, scoreCount, scoreSum } = samples.get(p.id) ?? { count: 0, scoreCount: 0, scoreSum: 0 };
      return {
        participantId: p.id,
        name: session.anonymous ? `Student ${p.number}` : p.name,
        number: p.number,
        joinedAt: p.createdAt,
        observedSeconds: sec(end - from),
        seconds,
        awaySeconds: sec(awayMs),
        meanScore: scoreCount > 0 ? round4(scoreSum / scoreCount) : null,
        sampleCount: count,
        alertCount: proctor.length,
        alerts: proctor,
        selfReportCount: selfReports.length,
        selfReports,
      };
    });

  const markers = [...input.markers]
    .sort((a, b) => a.t - b.t || cmp(a.id, b.id))
    .map((m) => ({ id: m.id, t: m.t, label: m.label }));
  const timeline = classTimeline(
    start,
    bucketCount(start, end, bucketMs),
    bucketMs,
    allSegments,
    input.sampleSums.byBucket,
  );
  return {
    sessionId: session.id,
    title: session.title,
    mode: session.mode,
    emotion: session.emotion,
    anonymous: session.anonymous,
    startedAt: start,
    endedAt: session.endedAt,
    generatedAt: input.now,
    durationSeconds: sec(end - start),
    students,
    class: {
      bucketSeconds: bucketMs / 1000,
      timeline,
      markers,
      peaks: findPeaks(timeline, bucketMs, end, markers),
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
