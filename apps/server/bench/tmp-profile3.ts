import { mkdtempSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/open.js';
import { DrizzleRepository } from '../src/db/drizzle-repository.js';
import { buildLesson } from './report-lesson.js';
import { alerts, samples, statusChanges } from '../src/db/schema.js';
import { count, eq } from 'drizzle-orm';
const db = await openDatabase({ dataDir: mkdtempSync('/tmp/ss-prof-') });
const repo = new DrizzleRepository(db.db);
const id = await buildLesson(repo, Date.UTC(2026, 0, 12, 9));
await db.db.execute(sql`analyze`);
const start = Date.UTC(2026, 0, 12, 9);
const qs: Record<string, () => Promise<unknown>> = {
  count: () => db.db.select({ n: count() }).from(samples).where(eq(samples.sessionId, id)),
  buckets: () => db.db.execute(sql`select participant_id, least((t - ${start}::bigint) / 10000::bigint, 359::bigint)::int, count(*), count(score), coalesce(sum(score::float8),0) from samples where session_id = ${id} and t between 0 and 99999999999999 group by 1,2`),
  changes: () => db.db.select({ p: statusChanges.participantId, t: statusChanges.t, s: statusChanges.status, a: statusChanges.alert }).from(statusChanges).where(eq(statusChanges.sessionId, id)).orderBy(statusChanges.id),
  alerts: () => db.db.select().from(alerts).where(eq(alerts.sessionId, id)),
};
for (const [k, q] of Object.entries(qs)) {
  const ts: number[] = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); await q(); ts.push(performance.now() - t); }
  console.log(k, ts.map((x) => x.toFixed(0)).join(' '));
}
const [n] = await db.db.select({ n: count() }).from(statusChanges).where(eq(statusChanges.sessionId, id));
console.log('status changes', n);
const r = await db.db.execute(sql`explain analyze select participant_id, least((t - ${start}::bigint) / 10000::bigint, 359::bigint)::int, count(*), count(score), coalesce(sum(score::float8),0) from samples where session_id = ${id} and t between 0 and 99999999999999 group by 1,2`);
console.log(JSON.stringify((r as unknown as {rows: unknown[]}).rows));
await db.close();
