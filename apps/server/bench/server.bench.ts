/**
 * `npm run bench:server`: a local server (embedded PGlite), simulated students at 4 Hz in a child
 * process, and a teacher socket. Prints messages/s ingested and the delay from a student's send
 * (Sample.ct) to the teacher's receipt, p50/p99, for 100 and 1,000 students; the 100-student run is the
 * baseline the larger one is compared to.
 */
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';

// Run against the TypeScript sources: re-run once with the "source" export condition.
if (!process.execArgv.some((a) => a.includes('source'))) {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, '--conditions=source', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  process.exit(r.status ?? 1);
}

const { io } = await import('socket.io-client');
const { MESSAGE_EVENT, PROTOCOL_VERSION } = await import('@smartsession/protocol');
const { startServer } = await import('../src/index.js');

const RATE_HZ = 4;
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 15);
const SIZES = (process.env.BENCH_STUDENTS ?? '100,1000').split(',').map(Number);

interface Stats {
  joined: number;
  connected: number;
  sent: number;
  acked: number;
  errors: number;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function post(url: string, body: unknown, cookie?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  return {
    body: (await res.json()) as Record<string, string>,
    cookie: res.headers.get('set-cookie')?.split(';')[0],
  };
}

/** `GET /metrics` as a map from series (name with labels) to value. */
async function scrape(): Promise<Map<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_0-9]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}
const sumOf = (m: Map<string, number>, prefix: string) =>
  [...m].filter(([k]) => k === prefix || k.startsWith(`${prefix}{`)).reduce((n, [, v]) => n + v, 0);

/** The /metrics figures of the window: rates from counter deltas, gauges at its end. */
function metricsLine(a: Map<string, number>, b: Map<string, number>, seconds: number): string {
  const rate = (name: string) => ((sumOf(b, name) - sumOf(a, name)) / seconds).toFixed(0);
  const writes = sumOf(b, 'smartsession_write_seconds_count') - sumOf(a, 'smartsession_write_seconds_count');
  const writeMs =
    ((sumOf(b, 'smartsession_write_seconds_sum') - sumOf(a, 'smartsession_write_seconds_sum')) / writes) *
    1000;
  const refusals = [...b]
    .filter(([k]) => k.startsWith('smartsession_refusals_total{'))
    .map(([k, v]) => `${/reason="([^"]+)"/.exec(k)?.[1]}=${v - (a.get(k) ?? 0)}`)
    .join(',');
  return (
    `  /metrics: connected students=${b.get('smartsession_connected_students')} teachers=${b.get('smartsession_connected_teachers')}  ` +
    `messages in=${rate('smartsession_messages_in_total')}/s out=${rate('smartsession_messages_out_total')}/s  ` +
    `refusals in window: ${refusals || 'none'}  writes=${(writes / seconds).toFixed(1)}/s mean ${writeMs.toFixed(1)} ms ` +
    `rows=${rate('smartsession_write_rows_total')}/s backlog=${b.get('smartsession_write_backlog_rows')} rows  ` +
    `acks pending=${b.get('smartsession_acks_pending')}  event-loop p99=${((b.get('nodejs_eventloop_lag_p99_seconds') ?? 0) * 1000).toFixed(0)} ms`
  );
}

const dir = mkdtempSync(join(tmpdir(), 'ss-bench-'));
const server = await startServer({ port: 0, dataDir: dir, logLevel: 'warn' });
const auth = await post(`${server.url}/api/auth/signup`, {
  email: 'bench@example.org',
  password: 'bench-password',
  name: 'Bench',
});

interface Result {
  students: number;
  ingested: number;
  acked: number;
  /** Messages/s the simulated students actually sent (a starved simulator sends fewer). */
  sent: number;
  p50: number;
  p99: number;
  samples: number;
  errors: number;
  /** Server event-loop delay during the window, ms. */
  loopP99: number;
  loopMax: number;
  /** The server's own /metrics over the window. */
  metrics: string;
}

async function runSize(students: number): Promise<Result> {
  const session = await post(`${server.url}/api/sessions`, { title: `bench ${students}` }, auth.cookie!);
  const teacher = io(server.url, {
    auth: { role: 'teacher', protocol: PROTOCOL_VERSION, sessionId: session.body.id },
    extraHeaders: { cookie: auth.cookie! },
    transports: ['websocket'],
    forceNew: true,
  });
  let measuring = false;
  let count = 0;
  const delays: number[] = [];
  teacher.on(MESSAGE_EVENT, (m: { type: string; items?: Array<{ ct: number }> }) => {
    if (m.type !== 'samples' || !measuring) return;
    const now = Date.now();
    for (const s of m.items!) delays.push(now - s.ct);
    count += m.items!.length;
  });
  await new Promise<void>((resolve) => teacher.once(MESSAGE_EVENT, () => resolve()));

  const child = fork(fileURLToPath(new URL('./sim-child.ts', import.meta.url)), [], {
    execArgv: process.execArgv,
  });
  const ask = (msg: object, reply: string) =>
    new Promise<Stats>((resolve) => {
      const on = (m: { cmd: string; stats: Stats }) => {
        if (m.cmd !== reply) return;
        child.off('message', on);
        resolve(m.stats);
      };
      child.on('message', on);
      child.send(msg);
    });
  await ask(
    { cmd: 'start', url: server.url, code: session.body.joinCode, students, rateHz: RATE_HZ },
    'started',
  );
  // Let every student connect, replay what it queued before its welcome, and settle.
  for (let i = 0; i < 120 && (await ask({ cmd: 'stats' }, 'stats')).connected < students; i++) {
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const before = await ask({ cmd: 'stats' }, 'stats');
  const scrapeBefore = await scrape();
  measuring = true;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
  measuring = false;
  loop.disable();
  const seconds = (Date.now() - t0) / 1000;
  const metrics = metricsLine(scrapeBefore, await scrape(), seconds);
  const after = await ask({ cmd: 'stop' }, 'stopped');
  teacher.disconnect();
  delays.sort((a, b) => a - b);
  return {
    students,
    ingested: count / seconds,
    acked: (after.acked - before.acked) / seconds,
    sent: (after.sent - before.sent) / seconds,
    p50: pct(delays, 50),
    p99: pct(delays, 99),
    samples: delays.length,
    errors: after.errors,
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
    metrics,
  };
}

const results: Result[] = [];
for (const n of SIZES) {
  const r = await runSize(n);
  results.push(r);
  process.stdout.write(
    `students=${r.students} rate=${RATE_HZ}Hz window=${WINDOW_S}s  sent=${r.sent.toFixed(0)} msg/s (nominal ${n * RATE_HZ})  ingested=${r.ingested.toFixed(0)} msg/s  ` +
      `acked=${r.acked.toFixed(0)} msg/s  send→teacher delay p50=${r.p50} ms p99=${r.p99} ms  (n=${r.samples}, errors=${r.errors})  ` +
      `server event-loop delay p99=${r.loopP99.toFixed(0)} ms max=${r.loopMax.toFixed(0)} ms\n${r.metrics}\n`,
  );
}
const base = results[0]!;
for (const r of results.slice(1)) {
  process.stdout.write(
    `vs baseline ${base.students} students: ${(r.students / base.students).toFixed(0)}x load, ingest ${(r.ingested / base.ingested).toFixed(1)}x, ` +
      `p50 ${(r.p50 / base.p50).toFixed(2)}x, p99 ${(r.p99 / base.p99).toFixed(2)}x\n`,
  );
}
await server.close();
rmSync(dir, { recursive: true, force: true });
