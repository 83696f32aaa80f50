import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/open.js';
import { DrizzleRepository } from '../src/db/drizzle-repository.js';
import { buildLesson } from './report-lesson.js';
import { loadReportInput } from '../src/reports/queries.js';
const url = process.argv[2]!;
const db = await openDatabase({ databaseUrl: url, dataDir: '' });
const repo = new DrizzleRepository(db.db);
let id = process.argv[3];
if (!id) { id = await buildLesson(repo, Date.UTC(2026, 0, 12, 9)); console.log('built', id); }
for (let i = 0; i < 3; i++) { const t = performance.now(); const inp = await loadReportInput(db.db, id, Date.now()); console.log('load', performance.now() - t, inp!.statusChanges.length, inp!.sampleBuckets.length); }
const r = await db.db.execute(sql`explain analyze select participant_id, least((t - 0::bigint) / 10000::bigint, 359::bigint)::int, count(*), count(score), coalesce(sum(score::float8),0) from samples where session_id = ${id} and t between 0 and 99999999999999 group by 1,2`);
console.log((r as unknown as {rows: Array<Record<string,string>>}).rows.map((x) => Object.values(x)[0]).join('\n'));
await db.close();
