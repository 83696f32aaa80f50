/** The report read from a real database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.js';
import { DrizzleRepository } from '../src/db/drizzle-repository.js';
import { buildReport } from '../src/reports/build.js';
import { aggregateSamples, bucketMsFor } from '../src/reports/input.js';
import { loadReportInput } from '../src/reports/queries.js';
import { END, expected, S, scriptedRows } from './report-fixture.js';
import { backends, teacherRow, writeScripted } from './report-support.js';

describe.each(backends())('report from storage ($name)', (backend) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let repo: DrizzleRepository;
  let sessionId: string;

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    repo = new DrizzleRepository(database.db);
    await repo.createTeacher(teacherRow('t1'));
    sessionId = await writeScripted(repo, 't1');
    await writeScripted(repo, 't1', '-other', 5_000); // another session: must not leak in
  });
  afterAll(async () => dispose?.());

  it('gives exactly the hand-worked numbers', async () => {
    const input = await loadReportInput(database.db, sessionId, END + 1000);
    const report = buildReport(input!);
    const [alice, bob] = report.students;
    expect(alice!.seconds).toEqual(expected.alice.seconds);
    expect(bob!.seconds).toEqual(expected.bob.seconds);
    expect([alice!.awaySeconds, bob!.awaySeconds]).toEqual([
      expected.alice.awaySeconds,
      expected.bob.awaySeconds,
    ]);
    expect([alice!.meanScore, bob!.meanScore]).toEqual([expected.alice.meanScore, expected.bob.meanScore]);
    expect([alice!.sampleCount, bob!.sampleCount]).toEqual([3, 3]);
    expect(alice!.alerts.map((a) => [a.code, a.durationSeconds])).toEqual(
      expected.alice.alerts.map((a) => [a.code, a.durationSeconds]),
    );
    expect(bob!.selfReports.map((a) => a.durationSeconds)).toEqual(expected.bob.selfReports);
    expect(report.class.peaks.map((p) => p.afterMarker)).toEqual(['fractions', 'decimals']);
  });

  it('equals the pure report built from the same rows (SQL bucketing = JS bucketing)', async () => {
    const input = await loadReportInput(database.db, sessionId, END + 1000);
    const rows = scriptedRows();
    const bucketMs = bucketMsFor(END - S);
    const pure = buildReport({
      ...rows,
      session: { ...rows.session },
      now: END + 1000,
      bucketMs,
      sampleSums: aggregateSamples(rows.samples, S, END, bucketMs),
    });
    expect(buildReport(input!)).toEqual(pure);
  });

  it('returns null for an unknown session', async () => {
    expect(await loadReportInput(database.db, 'nope', Date.now())).toBeNull();
  });
});
