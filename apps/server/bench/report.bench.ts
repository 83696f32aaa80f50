/**
 * `npm run bench:report`: builds a 30-student, 1-hour session in the database through the real
 * ingestion core (SessionRoom → writeBatch, as the live server writes it), then prints
 *  - the time to build its report (load + compute, JSON and CSV), median of several runs, next to a
 *    bare `count(*)` of the session's samples in the same run as the baseline;
 *  - bytes stored per student-hour (pg_total_relation_size deltas of the telemetry tables).
 * PGlite always; PostgreSQL too when TEST_DATABASE_URL (or BENCH_DATABASE_URL) is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/open.js';
import { DrizzleRepository } from '../src/db/drizzle-repository.js';
import { samples } from '../src/db/schema.js';
import { buildReport } from '../src/reports/build.js';
import { loadReportInput } from '../src/reports/queries.js';
import { reportCsv } from '../src/reports/report-csv.js';
import { buildLesson, SECONDS, STUDENTS } from './report-lesson.js';

const RUNS = 7;
const TABLES = ['samples', 'status_changes', 'alerts', 'markers', 'participants'];

async function tableBytes(db: Database['db']): Promise<number> {
  const list = sql.join(
    TABLES.map((t) => sql`pg_total_relation_size(${t})`),
    sql` + `,
  );
  const r = (await db.execute(sql`select (${list})::bigint as n`)) as unknown as {
    rows: Array<{ n: string | number }>;
  };
  return Number(r.rows[0]!.n);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function bench(name: string, database: Database): Promise<void> {
  const repo = new DrizzleRepository(database.db);
  const before = await tableBytes(database.db);
  const t0 = performance.now();
  const id = await buildLesson(repo, Date.UTC(2026, 0, 12, 9));
  const buildS = (performance.now() - t0) / 1000;
  const after = await tableBytes(database.db);
  const [n] = await database.db.select({ n: count() }).from(samples).where(eq(samples.sessionId, id));

  const baseline: number[] = [];
  const scan: number[] = [];
  const load: number[] = [];
  const full: number[] = [];
  const csv: number[] = [];
  let jsonBytes = 0;
  for (let run = 0; run < RUNS; run++) {
    baseline.push(
      await timeIt(() => database.db.select({ n: count() }).from(samples).where(eq(samples.sessionId, id))),
    );
    scan.push(
      await timeIt(() => database.db.execute(sql`select sum(score) from samples where session_id = ${id}`)),
    );
    load.push(await timeIt(() => loadReportInput(database.db, id, Date.now())));
    full.push(
      await timeIt(async () => {
        const report = buildReport((await loadReportInput(database.db, id, Date.now()))!);
        jsonBytes = JSON.stringify(report).length;
      }),
    );
    csv.push(
      await timeIt(async () => {
        const report = buildReport((await loadReportInput(database.db, id, Date.now()))!);
        for (const table of ['students', 'alerts', 'timeline'] as const) reportCsv(report, table);
      }),
    );
  }
  const f = (x: number) => `${x.toFixed(1)} ms`;
  console.log(
    `\n[${name}] ${STUDENTS} students x ${SECONDS / 3600} h: ${Number(n!.n)} samples stored (built in ${buildS.toFixed(1)} s)`,
  );
  console.log(`  baseline count(*) of the session's samples  median ${f(median(baseline))}`);
  console.log(`  baseline sum(score) over the session's samples median ${f(median(scan))}`);
  console.log(`  report queries (loadReportInput)             median ${f(median(load))}`);
  console.log(
    `  report JSON (queries + buildReport)          median ${f(median(full))}  (${(jsonBytes / 1024).toFixed(0)} KiB)`,
  );
  console.log(`  report + all three CSV tables                median ${f(median(csv))}`);
  console.log(
    `  report / baseline                            ${(median(full) / median(baseline)).toFixed(1)}x`,
  );
  const perStudentHour = (after - before) / STUDENTS / (SECONDS / 3600);
  const sizes = (await database.db.execute(
    sql`select avg(pg_column_size(s.*))::float8 as row, avg(pg_column_size(s.frame))::float8 as frame from samples s where session_id = ${id}`,
  )) as unknown as { rows: Array<{ row: number; frame: number }> };
  const { row, frame } = sizes.rows[0]!;
  console.log(
    `  sample row ${Math.round(row)} B on average, of which the frame jsonb ${Math.round(frame)} B`,
  );
  console.log(
    `  bytes per student-hour (tables + indexes)    ${Math.round(perStudentHour)} B (${(perStudentHour / 1024 / 1024).toFixed(2)} MiB)`,
  );
}

console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${cpus().length} CPUs at start`,
);
const dir = mkdtempSync(join(tmpdir(), 'ss-bench-report-'));
try {
  const lite = await openDatabase({ dataDir: dir });
  await bench('PGlite', lite);
  await lite.close();
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    // A database of its own, dropped afterwards.
    const name = `ss_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const own = new URL(url);
    own.pathname = `/${name}`;
    try {
      const pgdb = await openDatabase({ databaseUrl: own.toString(), dataDir: dir });
      await bench('PostgreSQL', pgdb);
      await pgdb.close();
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  } else console.log('\n[PostgreSQL] skipped: set TEST_DATABASE_URL to also measure PostgreSQL');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
