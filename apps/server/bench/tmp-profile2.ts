import pg from 'pg';
const c = new pg.Client({ connectionString: process.argv[2] });
await c.connect();
const id = 'bench-1768208400000';
await c.query('analyze');
const qs: Record<string, string> = {
  count: `select count(*) from samples where session_id = $1`,
  buckets: `select participant_id, least((t - 1768208400000::bigint) / 10000::bigint, 359::bigint)::int, count(*), count(score), coalesce(sum(score::float8),0) from samples where session_id = $1 and t between 0 and 99999999999999 group by 1,2`,
  changes: `select participant_id, t, status, alert from status_changes where session_id = $1 order by id`,
  alerts: `select * from alerts where session_id = $1`,
};
for (const [k, q] of Object.entries(qs)) {
  const ts: number[] = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); await c.query(q, [id]); ts.push(performance.now() - t); }
  console.log(k, ts.map((x) => x.toFixed(0)).join(' '));
}
const r = await c.query('explain analyze ' + qs.buckets, [id]);
console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
const r2 = await c.query('explain analyze ' + qs.changes, [id]);
console.log(r2.rows.map((x) => x['QUERY PLAN']).join('\n'));
await c.end();
