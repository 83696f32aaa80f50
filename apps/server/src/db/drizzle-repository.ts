import { and, asc, count, desc, eq, gte, isNull, lt, max, or, sql } from 'drizzle-orm';
import type { Db } from './open.js';
import type {
  AlertRow,
  AuditRow,
  NewAudit,
  NewStatusChange,
  MarkerRow,
  NewParticipant,
  NewSession,
  ParticipantLive,
  ParticipantRow,
  Repository,
  SampleRow,
  SampleWrite,
  SessionPatch,
  SessionRow,
  StatusChangeRow,
  TeacherRow,
  WriteBatch,
} from './repository.js';
import {
  alerts,
  auditLog,
  authSessions,
  markers,
  meta,
  participants,
  samples,
  sessions,
  statusChanges,
  teachers,
} from './schema.js';

const CHUNK = 500;

/** Rows per JSON-parameter insert (see writeBatch). */
const JSON_ROWS = 1000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The Drizzle repository: the same code over PGlite and node-postgres. */
export class DrizzleRepository implements Repository {
  /**
   * The lookups every join and every socket handshake makes, built once: building a query is most of
   * Drizzle's cost per call, and a burst of 2,000 joins makes 8,000 of these.
   */
  private readonly prepared;

  constructor(private readonly db: Db) {
    this.prepared = {
      session: db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sql.placeholder('id')))
        .prepare('ss_session_by_id'),
      sessionByCode: db
        .select()
        .from(sessions)
        .where(eq(sessions.joinCode, sql.placeholder('code')))
        .prepare('ss_session_by_code'),
      participantByToken: db
        .select()
        .from(participants)
        .where(eq(participants.tokenHash, sql.placeholder('hash')))
        .prepare('ss_participant_by_token'),
    };
  }

  async ping(): Promise<void> {
    await this.db.execute(sql`select 1`);
  }

  async getMeta(key: string): Promise<string | null> {
    const [row] = await this.db.select().from(meta).where(eq(meta.key, key));
    return row?.value ?? null;
  }

  async setMetaIfAbsent(key: string, value: string): Promise<string> {
    await this.db.insert(meta).values({ key, value }).onConflictDoNothing();
    return (await this.getMeta(key)) ?? value;
  }

  async createTeacher(row: TeacherRow): Promise<boolean> {
    const r = await this.db.insert(teachers).values(row).onConflictDoNothing().returning({ id: teachers.id });
    return r.length === 1;
  }

  async findTeacherByEmail(email: string): Promise<TeacherRow | null> {
    const [row] = await this.db.select().from(teachers).where(eq(teachers.email, email));
    return row ?? null;
  }

  async createAuthSession(row: { id: string; teacherId: string; createdAt: number; expiresAt: number }) {
    await this.db.insert(authSessions).values(row);
  }

  async findAuthSessionTeacher(id: string, now: number): Promise<TeacherRow | null> {
    const [row] = await this.db
      .select({ teacher: teachers })
      .from(authSessions)
      .innerJoin(teachers, eq(teachers.id, authSessions.teacherId))
      .where(and(eq(authSessions.id, id), gte(authSessions.expiresAt, now)));
    return row?.teacher ?? null;
  }

  async deleteAuthSession(id: string): Promise<void> {
    await this.db.delete(authSessions).where(eq(authSessions.id, id));
  }

  async createSession(row: NewSession): Promise<boolean> {
    const r = await this.db.insert(sessions).values(row).onConflictDoNothing().returning({ id: sessions.id });
    return r.length === 1;
  }

  async getSession(id: string): Promise<SessionRow | null> {
    const [row] = await this.prepared.session.execute({ id });
    return row ?? null;
  }

  async getSessionByCode(joinCode: string): Promise<SessionRow | null> {
    const [row] = await this.prepared.sessionByCode.execute({ code: joinCode });
    return row ?? null;
  }

  async listSessions(teacherId: string) {
    const rows = await this.db
      .select({ session: sessions, participantCount: count(participants.id) })
      .from(sessions)
      .leftJoin(participants, eq(participants.sessionId, sessions.id))
      .where(eq(sessions.teacherId, teacherId))
      .groupBy(sessions.id)
      .orderBy(desc(sessions.createdAt), desc(sessions.id));
    return rows.map((r) => ({ ...r.session, participantCount: Number(r.participantCount) }));
  }

  async updateSession(id: string, patch: SessionPatch): Promise<SessionRow | null> {
    if (Object.keys(patch).length === 0) return this.getSession(id);
    const [row] = await this.db.update(sessions).set(patch).where(eq(sessions.id, id)).returning();
    return row ?? null;
  }

  async endSession(id: string, t: number): Promise<SessionRow | null> {
    await this.db
      .update(sessions)
      .set({ endedAt: t })
      .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
    const session = await this.getSession(id);
    // Nothing stays open after the end: proctor alerts and "I'm lost" presses end with the session.
    if (session?.endedAt != null)
      await this.db
        .update(alerts)
        .set({ endedAt: session.endedAt })
        .where(and(eq(alerts.sessionId, id), isNull(alerts.endedAt)));
    return session;
  }

  async deleteSession(id: string): Promise<boolean> {
    const r = await this.db.delete(sessions).where(eq(sessions.id, id)).returning({ id: sessions.id });
    return r.length === 1;
  }

  createParticipant(row: NewParticipant): Promise<ParticipantRow>;
  createParticipant(row: NewParticipant, maxParticipants: number): Promise<ParticipantRow | null>;
  async createParticipant(
    row: NewParticipant,
    maxParticipants = 2_147_483_647,
  ): Promise<ParticipantRow | null> {
    const [created] = await this.createParticipants(row.sessionId, [row], maxParticipants);
    return created ?? null;
  }

  async createParticipants(
    sessionId: string,
    rows: NewParticipant[],
    maxParticipants: number,
  ): Promise<Array<ParticipantRow | null>> {
    if (rows.length === 0) return [];
    // The counter is taken for the whole group in one update (the row stays locked until commit, so
    // concurrent groups queue; none collides), then the group is inserted in one statement. A burst of
    // joins into one class is a few such transactions, not one commit (and WAL flush) per student.
    return this.db.transaction(async (tx) => {
      const [before] = await tx
        .select({ n: sessions.participantCount })
        .from(sessions)
        .where(eq(sessions.id, sessionId))
        .for('update');
      if (!before) return rows.map(() => null);
      const granted = Math.max(0, Math.min(rows.length, maxParticipants - before.n));
      if (granted === 0) return rows.map(() => null);
      await tx
        .update(sessions)
        .set({ participantCount: before.n + granted })
        .where(eq(sessions.id, sessionId));
      const created = await tx
        .insert(participants)
        .values(
          rows.slice(0, granted).map((r, i) => ({
            ...r,
            sessionId,
            number: before.n + 1 + i,
            statusSince: r.createdAt,
          })),
        )
        .returning();
      const byId = new Map(created.map((p) => [p.id, p]));
      return rows.map((r) => byId.get(r.id) ?? null);
    });
  }

  async findParticipantByToken(tokenHash: string): Promise<ParticipantRow | null> {
    const [row] = await this.prepared.participantByToken.execute({ hash: tokenHash });
    return row ?? null;
  }

  async getParticipant(id: string): Promise<ParticipantRow | null> {
    const [row] = await this.db.select().from(participants).where(eq(participants.id, id));
    return row ?? null;
  }

  async listParticipants(sessionId: string): Promise<ParticipantRow[]> {
    return this.db
      .select()
      .from(participants)
      .where(eq(participants.sessionId, sessionId))
      .orderBy(asc(participants.number));
  }

  async listSessionsWithLiveParticipants(): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ id: participants.sessionId })
      .from(participants)
      .innerJoin(sessions, eq(sessions.id, participants.sessionId))
      .where(
        and(
          isNull(sessions.endedAt),
          or(eq(participants.connected, true), sql`${participants.status} <> 'offline'`),
        ),
      );
    return rows.map((r) => r.id);
  }

  async updateAccommodations(id: string, accommodations: Record<string, unknown>) {
    const [row] = await this.db
      .update(participants)
      .set({ accommodations })
      .where(eq(participants.id, id))
      .returning();
    return row ?? null;
  }

  async deleteParticipant(id: string): Promise<boolean> {
    const r = await this.db
      .delete(participants)
      .where(eq(participants.id, id))
      .returning({ id: participants.id });
    return r.length === 1;
  }

  async writeBatch(batch: WriteBatch): Promise<void> {
    if (
      batch.samples.length + batch.statusChanges.length + batch.alerts.length + batch.participants.length ===
      0
    )
      return;
    await this.db.transaction(async (tx) => {
      // Rows travel as one JSON parameter: far cheaper to build than thousands of bound values. In parts
      // of JSON_ROWS, each built when the one before has been sent: building 5,000 sample rows at once held
      // the event loop for 20-30 ms (bench:capacity at 2,500 students), and status changes waited.
      for (const part of chunks(batch.samples, JSON_ROWS)) await tx.execute(insertSamplesSql(part));
      for (const part of chunks(batch.statusChanges, JSON_ROWS))
        await tx.execute(insertStatusChangesSql(part));
      for (const part of chunks(batch.alerts)) {
        await tx
          .insert(alerts)
          .values(part)
          .onConflictDoUpdate({
            target: alerts.id,
            set: {
              endedAt: sql`coalesce(excluded.ended_at, ${alerts.endedAt})`,
              acknowledgedAt: sql`coalesce(${alerts.acknowledgedAt}, excluded.acknowledged_at)`,
            },
          });
      }
      for (const part of chunks(batch.participants)) await tx.execute(updateLiveSql(part));
    });
  }

  async latestStored(sessionId: string): Promise<Map<string, { seq: number; t: number }>> {
    const [a, b] = await Promise.all([
      this.db
        .select({ pid: samples.participantId, seq: max(samples.seq), t: max(samples.t) })
        .from(samples)
        .where(eq(samples.sessionId, sessionId))
        .groupBy(samples.participantId),
      this.db
        .select({ pid: statusChanges.participantId, seq: max(statusChanges.seq), t: max(statusChanges.t) })
        .from(statusChanges)
        .where(eq(statusChanges.sessionId, sessionId))
        .groupBy(statusChanges.participantId),
    ]);
    const out = new Map<string, { seq: number; t: number }>();
    for (const r of [...a, ...b]) {
      const cur = out.get(r.pid);
      out.set(r.pid, {
        seq: Math.max(cur?.seq ?? 0, Number(r.seq ?? 0)),
        t: Math.max(cur?.t ?? 0, Number(r.t ?? 0)),
      });
    }
    return out;
  }

  async listSamples(
    sessionId: string,
    opts: { participantId?: string; since?: number; limit?: number } = {},
  ) {
    const where = [eq(samples.sessionId, sessionId)];
    if (opts.participantId) where.push(eq(samples.participantId, opts.participantId));
    if (opts.since !== undefined) where.push(gte(samples.t, opts.since));
    const rows: SampleRow[] = await this.db
      .select()
      .from(samples)
      .where(and(...where))
      .orderBy(asc(samples.t), asc(samples.id))
      .limit(opts.limit ?? 100_000);
    return rows;
  }

  async listStatusChanges(sessionId: string, participantId?: string): Promise<StatusChangeRow[]> {
    const where = [eq(statusChanges.sessionId, sessionId)];
    if (participantId) where.push(eq(statusChanges.participantId, participantId));
    return this.db
      .select()
      .from(statusChanges)
      .where(and(...where))
      .orderBy(asc(statusChanges.t), asc(statusChanges.id));
  }

  async listAlerts(
    sessionId: string,
    opts: { participantId?: string; since?: number } = {},
  ): Promise<AlertRow[]> {
    const where = [eq(alerts.sessionId, sessionId)];
    if (opts.participantId) where.push(eq(alerts.participantId, opts.participantId));
    if (opts.since !== undefined) {
      const open = or(isNull(alerts.endedAt), gte(alerts.endedAt, opts.since));
      if (open) where.push(open);
    }
    return this.db
      .select()
      .from(alerts)
      .where(and(...where))
      .orderBy(asc(alerts.startedAt), asc(alerts.id));
  }

  async getAlert(id: string): Promise<AlertRow | null> {
    const [row] = await this.db.select().from(alerts).where(eq(alerts.id, id));
    return row ?? null;
  }

  async acknowledgeAlert(id: string, t: number): Promise<AlertRow | null> {
    await this.db
      .update(alerts)
      .set({ acknowledgedAt: t })
      .where(and(eq(alerts.id, id), isNull(alerts.acknowledgedAt)));
    return this.getAlert(id);
  }

  async createMarker(row: MarkerRow): Promise<void> {
    await this.db.insert(markers).values(row);
  }

  async listMarkers(sessionId: string): Promise<MarkerRow[]> {
    return this.db.select().from(markers).where(eq(markers.sessionId, sessionId)).orderBy(asc(markers.t));
  }

  async addAudit(row: NewAudit): Promise<void> {
    await this.db.insert(auditLog).values(row);
  }

  async listAudit(teacherId: string, opts: { limit?: number; before?: number } = {}): Promise<AuditRow[]> {
    const where = [eq(auditLog.teacherId, teacherId)];
    if (opts.before !== undefined) where.push(lt(auditLog.id, opts.before));
    return this.db
      .select()
      .from(auditLog)
      .where(and(...where))
      .orderBy(desc(auditLog.id))
      .limit(opts.limit ?? 100);
  }
}

/** One UPDATE for many participants' live fields (rows as a JSON parameter). */
function updateLiveSql(rows: ParticipantLive[]) {
  const json = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      last_seq: r.lastSeq,
      status: r.status,
      alert: r.alert,
      reason: r.reason,
      status_since: r.statusSince,
      connected: r.connected,
      last_seen_at: r.lastSeenAt,
      lost_since: r.lostSince,
      clock_offset: r.clockOffset ?? null,
    })),
  );
  return sql`update ${participants} as p set
    last_seq = greatest(p.last_seq, v.last_seq), status = v.status, alert = v.alert, reason = v.reason,
    status_since = v.status_since, connected = v.connected, last_seen_at = v.last_seen_at, lost_since = v.lost_since,
    clock_offset = coalesce(v.clock_offset, p.clock_offset)
    from jsonb_to_recordset(${json}::jsonb) as v(id text, last_seq bigint, status text, alert text, reason jsonb,
      status_since bigint, connected boolean, last_seen_at bigint, lost_since bigint, clock_offset bigint)
    where p.id = v.id`;
}

/** One sample as an element of `insertSamplesSql`'s JSON array; its frame is JSON text already. */
function sampleJson(r: SampleWrite): string {
  const str = JSON.stringify;
  return (
    `{"session_id":${str(r.sessionId)},"participant_id":${str(r.participantId)},"seq":${str(r.seq)},` +
    `"t":${str(r.t)},"ct":${str(r.ct)},"status":${str(r.status)},"score":${str(r.score ?? null)},` +
    `"frame":${r.frame ?? 'null'}}`
  );
}

/** Inserts samples (a duplicate participant/seq is skipped). */
function insertSamplesSql(rows: SampleWrite[]) {
  const json = `[${rows.map(sampleJson).join(',')}]`;
  return sql`insert into ${samples} (session_id, participant_id, seq, t, ct, status, score, frame)
    select session_id, participant_id, seq, t, ct, status, score, frame
    from jsonb_to_recordset(${json}::jsonb) as x(session_id text, participant_id text, seq bigint, t bigint,
      ct bigint, status text, score real, frame jsonb)
    on conflict do nothing`;
}

/** Inserts status changes. */
function insertStatusChangesSql(rows: NewStatusChange[]) {
  const json = JSON.stringify(
    rows.map((r) => ({
      session_id: r.sessionId,
      participant_id: r.participantId,
      seq: r.seq ?? null,
      t: r.t,
      status: r.status,
      alert: r.alert ?? null,
      reason: r.reason ?? null,
    })),
  );
  return sql`insert into ${statusChanges} (session_id, participant_id, seq, t, status, alert, reason)
    select session_id, participant_id, seq, t, status, alert, reason
    from rows from (jsonb_to_recordset(${json}::jsonb) as (session_id text, participant_id text, seq bigint,
      t bigint, status text, alert text, reason jsonb)) with ordinality as x(session_id, participant_id, seq, t,
      status, alert, reason, ord)
    order by ord
    on conflict do nothing`;
}
