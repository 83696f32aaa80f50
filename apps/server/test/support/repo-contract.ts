/**
 * The storage contract: one suite, run against every implementation (embedded PGlite and PostgreSQL).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameResult } from '@smartsession/protocol';
import type { Database } from '../../src/db/open.js';
import { DrizzleRepository } from '../../src/db/drizzle-repository.js';
import type { AlertRow, Repository, SessionRow } from '../../src/db/repository.js';
import { frameText } from '../../src/records.js';

export function repositoryContract(
  name: string,
  open: () => Promise<Database & { cleanup?: () => Promise<void> }>,
) {
  describe(`Repository contract: ${name}`, () => {
    let db: Database & { cleanup?: () => Promise<void> };
    let repo: Repository;
    beforeAll(async () => {
      db = await open();
      repo = new DrizzleRepository(db.db);
    });
    afterAll(async () => {
      await db?.close();
      await db?.cleanup?.();
    });

    async function teacherId(): Promise<string> {
      const id = randomUUID();
      expect(
        await repo.createTeacher({ id, email: `${id}@x.test`, name: 'T', passwordHash: 'h', createdAt: 1 }),
      ).toBe(true);
      return id;
    }
    async function session(teacher: string, patch: Partial<SessionRow> = {}): Promise<SessionRow> {
      const row: SessionRow = {
        id: randomUUID(),
        teacherId: teacher,
        title: 'Class',
        joinCode: randomUUID().slice(0, 8).toUpperCase(),
        mode: 'support',
        emotion: 'on',
        lookAwaySeconds: 4,
        anonymous: false,
        createdAt: Date.now(),
        endedAt: null,
        participantCount: 0,
        serverAnalysis: false,
        ...patch,
      };
      expect(await repo.createSession(row)).toBe(true);
      return row;
    }
    const participant = (sessionId: string, name = 'Ann') =>
      repo.createParticipant({ id: randomUUID(), sessionId, name, tokenHash: randomUUID(), createdAt: 5 });

    it('meta: set once, then the first value stays', async () => {
      expect(await repo.setMetaIfAbsent('k', 'one')).toBe('one');
      expect(await repo.setMetaIfAbsent('k', 'two')).toBe('one');
      expect(await repo.getMeta('missing')).toBeNull();
    });

    it('teachers: unique e-mail; auth sessions expire and can be deleted', async () => {
      const id = await teacherId();
      expect(
        await repo.createTeacher({
          id: randomUUID(),
          email: `${id}@x.test`,
          name: 'X',
          passwordHash: 'h',
          createdAt: 1,
        }),
      ).toBe(false);
      expect((await repo.findTeacherByEmail(`${id}@x.test`))?.id).toBe(id);
      await repo.createAuthSession({ id: 'a1' + id, teacherId: id, createdAt: 0, expiresAt: 1000 });
      expect((await repo.findAuthSessionTeacher('a1' + id, 999))?.id).toBe(id);
      expect(await repo.findAuthSessionTeacher('a1' + id, 1001)).toBeNull();
      await repo.deleteAuthSession('a1' + id);
      expect(await repo.findAuthSessionTeacher('a1' + id, 0)).toBeNull();
    });

    it('sessions: unique join codes, newest first with participant counts, update, end once, by code', async () => {
      const t = await teacherId();
      const a = await session(t, { createdAt: 1000 });
      const b = await session(t, { createdAt: 2000 });
      expect(await repo.createSession({ ...a, id: randomUUID() })).toBe(false);
      await participant(a.id);
      await participant(a.id);
      const list = await repo.listSessions(t);
      expect(list.map((s) => [s.id, s.participantCount])).toEqual([
        [b.id, 0],
        [a.id, 2],
      ]);
      expect((await repo.updateSession(a.id, { anonymous: true, mode: 'exam' }))?.anonymous).toBe(true);
      expect((await repo.getSessionByCode(a.joinCode))?.mode).toBe('exam');
      expect((await repo.endSession(a.id, 5000))?.endedAt).toBe(5000);
      expect((await repo.endSession(a.id, 6000))?.endedAt).toBe(5000);
      expect(await repo.listSessions(randomUUID())).toEqual([]);
    });

    it('participants: numbered in join order even when joining at once; found by token; accommodations', async () => {
      const s = await session(await teacherId());
      const ps = await Promise.all(Array.from({ length: 8 }, (_, i) => participant(s.id, `P${i}`)));
      expect(ps.map((p) => p.number).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect((await repo.findParticipantByToken(ps[3]!.tokenHash))?.id).toBe(ps[3]!.id);
      expect(await repo.findParticipantByToken('nope')).toBeNull();
      const up = await repo.updateAccommodations(ps[0]!.id, { lookAwaySeconds: 10 });
      expect(up?.accommodations).toEqual({ lookAwaySeconds: 10 });
      expect((await repo.listParticipants(s.id)).map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('[issue 15] participants created in groups: numbered in order, at most the class size, concurrent groups never collide', async () => {
      const s = await session(await teacherId());
      const rows = (k: number, tag: string) =>
        Array.from({ length: k }, (_, i) => ({
          id: randomUUID(),
          sessionId: s.id,
          name: `${tag}${i}`,
          tokenHash: randomUUID(),
          createdAt: 5,
        }));
      const groups = await Promise.all([
        repo.createParticipants(s.id, rows(5, 'A'), 12),
        repo.createParticipants(s.id, rows(5, 'B'), 12),
        repo.createParticipants(s.id, rows(5, 'C'), 12),
      ]);
      const made = groups.flat().filter((p) => p !== null);
      expect(made.map((p) => p.number).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      // Within a group, numbers follow the order given; the last group got what was left, then nulls.
      for (const g of groups) {
        const ns = g.filter((p) => p !== null).map((p) => p.number);
        expect(ns).toEqual([...ns].sort((a, b) => a - b));
        expect(
          g.findIndex((p) => p === null) === -1 ||
            g.slice(g.findIndex((p) => p === null)).every((p) => p === null),
        ).toBe(true);
      }
      expect(groups.flat().filter((p) => p === null)).toHaveLength(3);
      expect(made[0]).toMatchObject({ status: 'offline', connected: false, lastSeq: 0, accommodations: {} });
      expect(await repo.createParticipants(s.id, rows(1, 'D'), 12)).toEqual([null]);
    });

    it('writeBatch: samples (no duplicate seq), status changes, alert upserts and live fields in one go', async () => {
      const s = await session(await teacherId());
      const p = await participant(s.id);
      const q = await participant(s.id, 'Q');
      const alert: AlertRow = {
        id: randomUUID(),
        sessionId: s.id,
        participantId: p.id,
        kind: 'proctor',
        code: 'GAZE_AWAY',
        startedAt: 100,
        endedAt: null,
        acknowledgedAt: null,
      };
      const sample = (pid: string, seq: number, t: number) => ({
        sessionId: s.id,
        participantId: pid,
        seq,
        t,
        ct: t - 5,
        status: 'focused' as const,
        score: 0.25,
        frame: frameText({ face_count: 1 } as FrameResult),
      });
      await repo.writeBatch({
        samples: [sample(p.id, 1, 100), sample(p.id, 2, 1100), sample(q.id, 1, 500)],
        statusChanges: [
          {
            sessionId: s.id,
            participantId: p.id,
            seq: 1,
            t: 100,
            status: 'alert',
            alert: 'GAZE_AWAY',
            reason: { code: 'CALIBRATING' },
          },
        ],
        alerts: [alert],
        participants: [
          {
            id: p.id,
            lastSeq: 2,
            status: 'alert',
            alert: 'GAZE_AWAY',
            reason: { code: 'CALIBRATING' },
            statusSince: 100,
            connected: true,
            lastSeenAt: 1100,
            lostSince: null,
          },
        ],
      });
      await repo.writeBatch({
        samples: [sample(p.id, 2, 1100), sample(p.id, 3, 2100)],
        statusChanges: [],
        alerts: [{ ...alert, endedAt: 2100 }],
        participants: [
          {
            id: p.id,
            lastSeq: 1,
            status: 'focused',
            alert: null,
            reason: null,
            statusSince: 2100,
            connected: false,
            lastSeenAt: 2100,
            lostSince: null,
          },
        ],
      });
      expect((await repo.listSamples(s.id, { participantId: p.id })).map((r) => r.seq)).toEqual([1, 2, 3]);
      expect((await repo.listSamples(s.id, { since: 500 })).map((r) => r.t)).toEqual([500, 1100, 2100]);
      expect((await repo.listSamples(s.id))[0]).toMatchObject({
        score: 0.25,
        frame: { face_count: 1 },
        ct: 95,
      });
      expect(await repo.listStatusChanges(s.id, p.id)).toHaveLength(1);
      const stored = await repo.getParticipant(p.id);
      expect(stored).toMatchObject({ lastSeq: 2, status: 'focused', connected: false, lastSeenAt: 2100 }); // lastSeq never goes back
      expect((await repo.getAlert(alert.id))?.endedAt).toBe(2100);
      expect((await repo.acknowledgeAlert(alert.id, 3000))?.acknowledgedAt).toBe(3000);
      expect((await repo.acknowledgeAlert(alert.id, 4000))?.acknowledgedAt).toBe(3000);
      // An upsert after the acknowledgement keeps it.
      await repo.writeBatch({
        samples: [],
        statusChanges: [],
        alerts: [{ ...alert, endedAt: 2100 }],
        participants: [],
      });
      expect((await repo.getAlert(alert.id))?.acknowledgedAt).toBe(3000);
      expect(await repo.listAlerts(s.id, { since: 2200 })).toHaveLength(0);
      expect(await repo.listAlerts(s.id, { since: 2000 })).toHaveLength(1);
    });

    it('markers in time order; deleting a participant or a session removes all their data', async () => {
      const s = await session(await teacherId());
      const p = await participant(s.id);
      await repo.createMarker({ id: randomUUID(), sessionId: s.id, t: 20, label: 'b' });
      await repo.createMarker({ id: randomUUID(), sessionId: s.id, t: 10, label: 'a' });
      expect((await repo.listMarkers(s.id)).map((m) => m.label)).toEqual(['a', 'b']);
      await repo.writeBatch({
        samples: [
          {
            sessionId: s.id,
            participantId: p.id,
            seq: 1,
            t: 1,
            ct: 1,
            status: 'focused',
            score: null,
            frame: null,
          },
        ],
        statusChanges: [
          {
            sessionId: s.id,
            participantId: p.id,
            seq: null,
            t: 1,
            status: 'offline',
            alert: null,
            reason: null,
          },
        ],
        alerts: [],
        participants: [],
      });
      expect(await repo.deleteParticipant(p.id)).toBe(true);
      expect(await repo.listSamples(s.id)).toEqual([]);
      expect(await repo.listStatusChanges(s.id)).toEqual([]);
      expect(await repo.deleteSession(s.id)).toBe(true);
      expect(await repo.getSession(s.id)).toBeNull();
      expect(await repo.listMarkers(s.id)).toEqual([]);
      expect(await repo.deleteSession(s.id)).toBe(false);
    });

    it('audit log: per teacher, newest first, paged; entries outlive the session they name', async () => {
      const a = await teacherId();
      const b = await teacherId();
      const s = await session(a);
      for (const [i, action] of ['session.create', 'session.update', 'session.delete'].entries())
        await repo.addAudit({
          teacherId: a,
          t: 100 + i,
          action,
          sessionId: s.id,
          details: { i },
          ip: '10.0.0.1',
        });
      await repo.addAudit({ teacherId: b, t: 1, action: 'auth.login', ip: null });
      await repo.deleteSession(s.id);
      const all = await repo.listAudit(a);
      expect(all.map((e) => e.action)).toEqual(['session.delete', 'session.update', 'session.create']);
      expect(all[0]).toMatchObject({ sessionId: s.id, details: { i: 2 }, ip: '10.0.0.1', targetId: null });
      const page = await repo.listAudit(a, { limit: 2 });
      expect(page).toHaveLength(2);
      expect((await repo.listAudit(a, { before: page[1]!.id })).map((e) => e.action)).toEqual([
        'session.create',
      ]);
      expect((await repo.listAudit(b)).map((e) => e.action)).toEqual(['auth.login']);
    });
  });
}
