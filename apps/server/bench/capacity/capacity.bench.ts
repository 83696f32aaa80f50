/**
 * `npm run bench:capacity`: how many students at 4 Hz one process carries, for SmartSession on PGlite and
 * on PostgreSQL and for two baselines measured in the same run (a naive Socket.IO relay: no validation,
 * no storage, every message forwarded at once; and the same over bare `ws`), with the same load
 * generator in its own process, the server pinned to core 0 and the generator to core 1 when the machine
 * has two. A size holds when every student connects, every message sent is acknowledged (or relayed),
 * status changes reach the teacher with p99 < 100 ms, samples with p99 < 1 s, and nothing errs. Each
 * target is swept upward until a size fails; its capacity is the largest size that held. Also prints CPU
 * per message and RSS at capacity, the ratios to the Socket.IO relay, and a burst of 2,000 joins into one
 * class (HTTP join + socket handshake + welcome).
 *
 * Environment: BENCH_TARGETS (pglite,postgres,sio-relay,ws-relay), BENCH_SWEEP (500,1000,…), BENCH_RUNS
 * (1), BENCH_WINDOW_S (15), BENCH_WARMUP_S (5), BENCH_WINDOWS (1: parts of the window judged apart), BENCH_JOINS (2000; 0 to skip), BENCH_DATABASE_URL or
 * TEST_DATABASE_URL (PostgreSQL; default postgres://postgres@127.0.0.1:5432/test), BENCH_PROFILE (a folder:
 * each SmartSession server writes a V8 CPU profile there; `tsx apps/server/bench/capacity/profile.ts FOLDER`
 * sums one up by package), BENCH_SERVER_VIEW (1: the server's event-loop delay and commit time per step).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { LoadConfig, LoadResult } from './loadgen.js';
import { statusHeld } from './schedule.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const here = fileURLToPath(new URL('./', import.meta.url));
const TARGETS = (process.env.BENCH_TARGETS ?? 'pglite,postgres,sio-relay,ws-relay').split(',');
const SWEEP = (process.env.BENCH_SWEEP ?? '500,1000,1500,2000,2500,3000,3500,4000,5000')
  .split(',')
  .map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 15);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 5);
/**
 * BENCH_WINDOWS (1): parts the window is judged in. With more than one, status changes hold when their
 * p99 is under 100 ms in more than half of the parts (`statusHeld` in schedule.ts); every other
 * criterion is over the whole window.
 */
const WINDOWS = Math.max(1, Number(process.env.BENCH_WINDOWS ?? 1));
const JOINS = Number(process.env.BENCH_JOINS ?? 2000);
const PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);
const pinned = cpus().length >= 2 && spawnSync('taskset', ['--version']).status === 0;
const PASSWORD = 'capacity-bench-passphrase';
const PROFILE = process.env.BENCH_PROFILE;
/**
 * BENCH_SERVER_VIEW=1: each SmartSession step also prints the server's event-loop delay over the window
 * and its mean commit time, read from its /metrics at the window's start and end. Off by default: at
 * 2,500 students a scrape holds the loop for about 25 ms (prom-client's default metrics, among them the
 * open file descriptors, and our live gauges), once in the window.
 */
const SERVER_VIEW = process.env.BENCH_SERVER_VIEW === '1';
/** BENCH_NODE_ARGS: extra Node.js or V8 flags for the SmartSession server (space-separated), e.g. `--trace-gc`. */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The baselines: no accounts, no storage. */
const isRelay = (name: string): name is 'sio-relay' | 'ws-relay' =>
  name === 'sio-relay' || name === 'ws-relay';

/** Runs `args` pinned to `core` (when the machine allows). */
function pinnedSpawn(core: number, args: string[], env: Record<string, string>): ChildProcess {
  const [cmd, ...rest] = pinned ? ['taskset', '-c', String(core), ...args] : args;
  return spawn(cmd!, rest, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function waitLine(child: ChildProcess, re: RegExp, ms: number, log: string[]): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}:\n${log.join('')}`)), ms);
    const on = (d: Buffer) => {
      log.push(d.toString());
      const m = re.exec(log.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${log.join('')}`)));
  });
}

interface Target {
  url: string;
  pid: number;
  /** SmartSession only: reads the server's own /metrics. */
  metrics?: () => Promise<ServerView>;
  stop(): Promise<void>;
  prepare(): Promise<Pick<LoadConfig, 'joinCode' | 'sessionId' | 'cookie'>>;
}

/**
 * What the server says of itself, from its /metrics (prom-client resets the event-loop delay histogram on
 * each read, so a read at the window's end covers the window).
 */
interface ServerView {
  loopP99Ms: number;
  loopMaxMs: number;
  commits: number;
  commitSumS: number;
}

function readMetric(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

async function serverView(url: string): Promise<ServerView> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return {
    loopP99Ms: readMetric(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
    loopMaxMs: readMetric(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
    commits: readMetric(text, 'smartsession_write_seconds_count'),
    commitSumS: readMetric(text, 'smartsession_write_seconds_sum'),
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function startTarget(name: string): Promise<Target> {
  const port = await freePort();
  const log: string[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  let child: ChildProcess;
  if (isRelay(name)) {
    child = pinnedSpawn(
      0,
      [process.execPath, '--import', 'tsx', join(here, 'relays.ts'), name.split('-')[0]!, String(port)],
      {},
    );
    await waitLine(child, /listening \d+/, 30_000, log);
  } else {
    const env: Record<string, string> = {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MAX_STUDENTS_PER_SESSION: '20000',
    };
    if (name === 'pglite') {
      const dir = mkdtempSync(join(tmpdir(), 'ss-capacity-'));
      env.DATA_DIR = dir;
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    } else {
      const db = `ss_capacity_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`create database ${db}`);
      await admin.end();
      const u = new URL(PG_URL);
      u.pathname = `/${db}`;
      env.DATABASE_URL = u.toString();
      cleanups.push(async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`drop database if exists ${db} with (force)`);
        await c.end();
      });
    }
    child = pinnedSpawn(
      0,
      [
        process.execPath,
        ...NODE_ARGS,
        ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE, `${name}-${port}`)}`] : []),
        // What `npm start` runs: the compiled server (built at the start of the bench).
        'apps/server/dist/main.js',
      ],
      env,
    );
    child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited:\n${log.join('')}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break;
      } catch {
        // not yet
      }
      if (Date.now() > deadline) throw new Error(`server did not start:\n${log.join('')}`);
      await sleep(250);
    }
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid!,
    ...(!isRelay(name) && SERVER_VIEW ? { metrics: () => serverView(url) } : {}),
    async prepare() {
      if (isRelay(name)) return {};
      const email = `capacity-${randomBytes(4).toString('hex')}@bench.test`;
      const signup = await fetch(`${url}/api/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD, name: 'Bench' }),
      });
      if (signup.status !== 201) throw new Error(`signup ${signup.status}: ${await signup.text()}`);
      const cookie = signup.headers.get('set-cookie')!.split(';')[0]!;
      const s = await fetch(`${url}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ title: 'Capacity' }),
      });
      const body = (await s.json()) as { id: string; joinCode: string };
      return { joinCode: body.joinCode, sessionId: body.id, cookie };
    },
    async stop() {
      child.kill('SIGTERM');
      // A profiled server needs longer: it writes its profiles on the way out.
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(PROFILE ? 60_000 : 10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
      for (const c of cleanups) await c();
    },
  };
}

interface Step extends LoadResult {
  target: string;
  ok: boolean;
  serverCpuUsPerMsg: number;
  serverCpuShare: number;
  rssMb: number;
  /** SmartSession with BENCH_SERVER_VIEW: event-loop delay over the window, mean time of a group commit. */
  server?: { loopP99Ms: number; loopMaxMs: number; commitMeanMs: number };
}

/** One size against one target: fresh server, generator, result with the server's CPU over the window. */
async function step(name: string, students: number): Promise<Step> {
  const target = await startTarget(name);
  try {
    const prep = await target.prepare();
    const cfg: LoadConfig = {
      mode: 'steady',
      kind: isRelay(name) ? name : 'smartsession',
      url: target.url,
      students,
      hz: 4,
      warmupS: WARMUP_S,
      windowS: WINDOW_S,
      statusEveryS: 10,
      windows: WINDOWS,
      ...prep,
    };
    const child = pinnedSpawn(
      1,
      [process.execPath, '--import', 'tsx', join(here, 'loadgen.ts'), JSON.stringify(cfg)],
      {},
    );
    const log: string[] = [];
    let windowCpu = { start: 0, end: 0, t0: 0, t1: 0 };
    let viewStart: Promise<ServerView> | undefined;
    let viewEnd: Promise<ServerView> | undefined;
    child.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      if (text.includes('window-start')) {
        windowCpu = { ...windowCpu, start: cpuSeconds(target.pid), t0: Date.now() };
        viewStart = target.metrics?.();
      }
      if (text.includes('window-end')) {
        windowCpu = { ...windowCpu, end: cpuSeconds(target.pid), t1: Date.now() };
        viewEnd = target.metrics?.();
      }
    });
    const m = await waitLine(child, /result (\{.*\})\n/, (WARMUP_S + WINDOW_S) * 1000 + 300_000, log);
    const r = JSON.parse(m[1]!) as LoadResult;
    const rss = rssMb(target.pid);
    const cpuS = windowCpu.end - windowCpu.start;
    const windowS = (windowCpu.t1 - windowCpu.t0) / 1000;
    const msgs = r.sentPerS * windowS;
    const ok =
      r.connected === students &&
      r.missing === 0 &&
      r.errors === 0 &&
      r.statusN > 0 &&
      statusHeld(r.statusP99Windows, 100) &&
      r.sampleP99 < 1000;
    const [a, b] = await Promise.all([viewStart, viewEnd]);
    return {
      ...r,
      target: name,
      ok,
      ...(a && b
        ? {
            server: {
              loopP99Ms: b.loopP99Ms,
              loopMaxMs: b.loopMaxMs,
              commitMeanMs: ((b.commitSumS - a.commitSumS) / (b.commits - a.commits)) * 1000,
            },
          }
        : {}),
      serverCpuUsPerMsg: (cpuS / msgs) * 1e6,
      serverCpuShare: cpuS / windowS,
      rssMb: rss,
    };
  } finally {
    await target.stop();
  }
}

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');

function line(s: Step): string {
  return (
    `${s.target.padEnd(9)} students=${String(s.students).padStart(5)} ${s.ok ? 'HELD' : 'FAIL'}  ` +
    `connected=${s.connected} sent=${f(s.sentPerS)}/s missing=${s.missing} errors=${s.errors}` +
    `${s.errors ? ` ${JSON.stringify(s.errorKinds)}` : ''}  ` +
    `status p50/p99=${f(s.statusP50)}/${f(s.statusP99)} ms (n=${s.statusN}, ≤${s.statusBurstMax} a tick` +
    `${s.statusP99Windows.length > 1 ? `; p99 by window ${s.statusP99Windows.map((p) => f(p)).join('/')} ms` : ''})  ` +
    `samples p50/p99=${f(s.sampleP50)}/${f(s.sampleP99)} ms  ` +
    `server cpu=${f(s.serverCpuShare * 100)}% ${f(s.serverCpuUsPerMsg)} µs/msg rss=${f(s.rssMb)} MB  ` +
    `generator cpu=${f(s.generatorCpu * 100)}%  joins=${f(s.joinSeconds, 1)} s (HTTP ${f(s.httpJoinSeconds, 1)} s)` +
    (s.server
      ? `  event loop delay p99/max=${f(s.server.loopP99Ms)}/${f(s.server.loopMaxMs)} ms commit=${f(s.server.commitMeanMs)} ms`
      : '')
  );
}

// The server runs as `npm start` runs it (compiled); build it (and what it imports) first.
const built = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], {
  cwd: root,
  stdio: 'inherit',
});
if (built.status !== 0) throw new Error('tsc -b failed');

console.log(
  `bench:capacity — targets ${TARGETS.join(', ')}; sweep ${SWEEP.join(', ')}; ${RUNS} run(s); window ${WINDOW_S} s after ${WARMUP_S} s warm-up; ` +
    `${pinned ? 'server on core 0, generator on core 1' : 'not pinned (one core or no taskset)'}; load ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
);

for (let run = 1; run <= RUNS; run++) {
  console.log(`\n== run ${run}`);
  const capacity = new Map<string, Step | null>();
  for (const name of TARGETS) {
    let best: Step | null = null;
    for (const n of SWEEP) {
      const s = await step(name, n);
      console.log(line(s));
      if (!s.ok) break;
      best = s;
    }
    capacity.set(name, best);
  }
  const relay = capacity.get('sio-relay');
  console.log(`\nrun ${run} summary (capacity = largest size that held)`);
  for (const [name, best] of capacity) {
    const ratio = best && relay ? ` ${(best.students / relay.students).toFixed(2)}x relay` : '';
    const cpuRatio =
      best && relay ? ` ${(best.serverCpuUsPerMsg / relay.serverCpuUsPerMsg).toFixed(2)}x relay` : '';
    console.log(
      `  ${name.padEnd(9)} capacity ${best ? best.students : 'none'}${ratio}; CPU/msg ${best ? f(best.serverCpuUsPerMsg) : '-'} µs${cpuRatio}; ` +
        `RSS ${best ? f(best.rssMb) : '-'} MB; status p99 ${best ? f(best.statusP99) : '-'} ms`,
    );
  }
  if (JOINS > 0) {
    for (const name of TARGETS.filter((t) => t === 'pglite' || t === 'postgres')) {
      const target = await startTarget(name);
      try {
        const prep = await target.prepare();
        const child = pinnedSpawn(
          1,
          [
            process.execPath,
            '--import',
            'tsx',
            join(here, 'loadgen.ts'),
            JSON.stringify({
              mode: 'joins',
              kind: 'smartsession',
              url: target.url,
              students: JOINS,
              hz: 4,
              warmupS: 0,
              windowS: 0,
              statusEveryS: 10,
              ...prep,
            } satisfies LoadConfig),
          ],
          {},
        );
        const m = await waitLine(child, /result (\{.*\})\n/, 300_000, []);
        const r = JSON.parse(m[1]!) as LoadResult;
        console.log(
          `  join burst ${name}: ${r.students} students into one class (HTTP join + handshake + welcome) in ${f(r.joinSeconds, 1)} s (HTTP joins ${f(r.httpJoinSeconds, 1)} s), ` +
            `${r.connected} welcomed, ${r.joinErrors} failed ${r.errors ? JSON.stringify(r.errorKinds) : ''}`,
        );
      } finally {
        await target.stop();
      }
    }
  }
}
