import { and, asc, between, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { alerts, markers, participants, samples, sessions, statusChanges } from '../db/schema.js';
import { bucketCount, bucketMsFor, type ReportInput, reportEnd, type SampleSums } from './input.js';

/**
 * Reads everything a report needs for one session in five indexed queries. Samples are summed per
 * participant and bucket in SQL (never loaded row by row). Null when the session does not exist.
 */
export async function loadReportInput(db: Db, sessionId: string, now: number): Promise<ReportInput | null> {
  const [session] = await db
    .select({
      id: sessions.id,
      title: sessions.title,
      mode: sessions.mode,
      emotion: sessions.emotion,
      anonymous: sessions.anonymous,
      createdAt: sessions.createdAt,
      endedAt: sessions.endedAt,
    })
    .from(sessions)
    .where(eq(sessions.id, sessionId));
  if (!session) return null;
  const start = session.createdAt;
  const end = reportEnd(session, now);
  const bucketMs = bucketMsFor(end - start);
  const last = Math.max(0, bucketCount(start, end, bucketMs) - 1);
  // Whole numbers computed here, inlined so the grouping expression reads the same in SELECT and GROUP BY.
  const bucket = sql.raw(
    `least((t - ${Math.trunc(start)}::bigint) / ${Math.trunc(bucketMs)}::bigint, ${Math.trunc(last)}::bigint)::int`,
  );
  const [people, changes, alertRows, sampleRows, markerRows] = await Promise.all([
    db
      .select({
        id: participants.id,
        name: participants.name,
        number: participants.number,
        createdAt: participants.createdAt,
      })
      .from(participants)
      .where(eq(participants.sessionId, sessionId)),
    db
      .select({
        participantId: statusChanges.participantId,
        t: statusChanges.t,
        status: statusChanges.status,
        alert: statusChanges.alert,
      })
      .from(statusChanges)
      .where(eq(statusChanges.sessionId, sessionId))
      .orderBy(asc(statusChanges.id)),
    db
      .select({
        id: alerts.id,
        participantId: alerts.participantId,
        kind: alerts.kind,
        code: alerts.code,
        startedAt: alerts.startedAt,
        endedAt: alerts.endedAt,
      })
      .from(alerts)
      .where(eq(alerts.sessionId, sessionId)),
    // One scan, summed twice: per participant and per bucket (far cheaper than per participant and bucket).
    db
      .select({
        byBucket: sql<number>`grouping(${samples.participantId})`,
        participantId: samples.participantId,
        bucket: sql<number | null>`${bucket}`,
        count: count(),
        scoreCount: count(samples.score),
        scoreSum: sql<number>`coalesce(sum(${samples.score}::float8), 0)`,
      })
      .from(samples)
      .where(and(eq(samples.sessionId, sessionId), between(samples.t, start, end)))
      .groupBy(sql`grouping sets ((${samples.participantId}), (${bucket}))`),
    db
      .select({ id: markers.id, t: markers.t, label: markers.label })
      .from(markers)
      .where(eq(markers.sessionId, sessionId)),
  ]);

  const sampleSums: SampleSums = { byParticipant: [], byBucket: [] };
  for (const r of sampleRows) {
    const sum = { count: Number(r.count), scoreCount: Number(r.scoreCount), scoreSum: Number(r.scoreSum) };
    if (Number(r.byBucket) === 1) sampleSums.byBucket.push({ bucket: Number(r.bucket), ...sum });
    else sampleSums.byParticipant.push({ participantId: r.participantId, ...sum });
  }
  return {
    session,
    now,
    bucketMs,
    participants: people,
    statusChanges: changes,
    alerts: alertRows,
    sampleSums,
    markers: markerRows,
  };
}
