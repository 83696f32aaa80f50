/**
 * Dashboard benchmark (issue 5): one teacher dashboard in headless Chromium with 300 simulated students
 * sending telemetry through the real server. Prints the page's main-thread busy time per second (CDP
 * `Performance.getMetrics` TaskDuration) and frame rate (rAF count), as medians over 3 s windows, against
 * a baseline in the same run: the same page idle with 0 students. Target: under 100 ms busy per second.
 *
 * Run: `npm run bench:dashboard` (builds what is missing first). Options via env:
 * BENCH_STUDENTS (300), BENCH_HZ (telemetry per student per second, 2), BENCH_WINDOWS (5), BENCH_TRACE=1
 * (trace time by event name), BENCH_PROFILE=1 (V8 CPU profile: functions by self time), BENCH_HIDE (CSS selector).
 * Note: the server and the simulated students run in this process, on the same CPU cores as Chromium.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../../../test/support/browser.js';
import { ScriptedStudent, type Report } from '../test/support/scriptedStudent.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 300);
const HZ = Number(process.env.BENCH_HZ ?? 2);
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 5);
const WINDOW_MS = 3000;

try {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
} catch (e) {
  if (
    !existsSync(join(root, 'apps/web/dist/index.html')) ||
    !existsSync(join(root, 'apps/server/dist/index.js'))
  )
    throw e;
  process.stdout.write('warning: the build failed; benchmarking the previous build in apps/web/dist\n');
}
const { startServer } = await import('@smartsession/server');

/** Deterministic PRNG (mulberry32), so every run drives the same class. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A student's behaviour: focused most of the time, bouts of confusion, looking away, leaving the frame. */
function behaviour(seed: number): () => Report {
  const r = rng(seed);
  let state: Report = { status: 'focused' };
  let left = 0;
  return () => {
    if (--left <= 0) {
      const x = r();
      if (x < 0.7) state = { status: 'focused' };
      else if (x < 0.9) state = { status: 'confused', reason: { code: 'BROWS_LOWERED', seconds: 3 } };
      else if (x < 0.96)
        state = { status: 'alert', alert: 'GAZE_AWAY', reason: { code: 'LOOKING_AWAY', seconds: 5 } };
      else state = { status: 'alert', alert: 'NO_PERSON', faces: 0 };
      left = Math.round(HZ * (3 + r() * 12));
    }
    const base = state.status === 'confused' ? 0.65 : 0.2;
    return { ...state, score: Math.min(1, base + r() * 0.2) };
  };
}

interface Window {
  busyMsPerS: number;
  scriptMsPerS: number;
  layoutMsPerS: number;
  styleMsPerS: number;
  fps: number;
  longTasks: number;
  msgsPerS: number;
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/**
 * `WINDOWS` windows without the frame counter (busy time), then one with it (frame rate; its busy time
 * includes producing every frame).
 */
async function measure(page: Page, cdp: CDPSession, label: string): Promise<{ busy: Window[]; fps: Window }> {
  const busy = await windows(page, cdp, WINDOWS, false);
  const [fps] = await windows(page, cdp, 1, true);
  process.stdout.write(`  measured ${label}\n`);
  return { busy, fps };
}

/** In the page: frames and long tasks counted so far, messages the dashboard applied, and the time. */
const pageCounters = () => {
  const w = window as unknown as {
    __bench: { frames: number; long: number };
    __dashboard?: { applied: number } | null;
  };
  return {
    frames: w.__bench.frames,
    long: w.__bench.long,
    applied: w.__dashboard?.applied ?? 0,
    t: performance.now(),
  };
};

async function windows(page: Page, cdp: CDPSession, n: number, frames: boolean): Promise<Window[]> {
  const out: Window[] = [];
  await page.evaluate(`window.__bench.${frames ? 'start' : 'stop'}()`);
  for (let i = 0; i < n; i++) {
    const before = await metrics(cdp);
    const pageBefore = await page.evaluate(pageCounters);
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const after = await metrics(cdp);
    const pageAfter = await page.evaluate(pageCounters);
    const secs = (pageAfter.t - pageBefore.t) / 1000;
    out.push({
      busyMsPerS: ((after.TaskDuration - before.TaskDuration) * 1000) / secs,
      scriptMsPerS: ((after.ScriptDuration - before.ScriptDuration) * 1000) / secs,
      layoutMsPerS: ((after.LayoutDuration - before.LayoutDuration) * 1000) / secs,
      styleMsPerS: ((after.RecalcStyleDuration - before.RecalcStyleDuration) * 1000) / secs,
      fps: (pageAfter.frames - pageBefore.frames) / secs,
      longTasks: pageAfter.long - pageBefore.long,
      msgsPerS: (pageAfter.applied - pageBefore.applied) / secs,
    });
  }
  await page.evaluate('window.__bench.stop()');
  return out;
}

interface TraceBusy {
  /** Main-thread task time, wall clock, ms per second. */
  wallMsPerS: number;
  /** The same tasks' thread CPU time, ms per second: what the page itself costs, without waiting for a core. */
  cpuMsPerS: number;
  /** Event name → [wall, cpu] ms per second (inclusive; nested events overlap). */
  top: [string, number, number][];
}

/** 3 s of Chromium tracing: the renderer main thread's task time, wall and CPU. */
async function traceBusy(b: Browser, page: Page): Promise<TraceBusy> {
  const secs = 3;
  await b.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await new Promise((r) => setTimeout(r, secs * 1000));
  const buf = await b.stopTracing();
  type Ev = {
    name: string;
    ph: string;
    dur?: number;
    tdur?: number;
    tid: number;
    pid: number;
    args?: { name?: string };
  };
  const events = (JSON.parse(buf.toString()) as { traceEvents: Ev[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const by = new Map<string, [number, number]>();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur || !main || e.tid !== main.tid || e.pid !== main.pid) continue;
    const v = by.get(e.name) ?? [0, 0];
    v[0] += e.dur / 1000 / secs;
    v[1] += (e.tdur ?? 0) / 1000 / secs;
    by.set(e.name, v);
  }
  const task = by.get('RunTask') ?? [0, 0];
  const top = [...by.entries()]
    .sort((x, y) => y[1][0] - x[1][0])
    .slice(0, 12)
    .map(([n, [w, c]]) => [n, w, c] as [string, number, number]);
  return { wallMsPerS: task[0], cpuMsPerS: task[1], top };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

/** BENCH_PROFILE=1: 3 s of the V8 CPU profiler on the page; prints the functions with the most self time. */
async function profileTop(cdp: CDPSession): Promise<void> {
  const secs = 3;
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await new Promise((r) => setTimeout(r, secs * 1000));
  const { profile } = (await cdp.send('Profiler.stop')) as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  await cdp.send('Profiler.disable');
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id)?.callFrame;
    if (!f) return;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000 / secs);
  });
  process.stdout.write('\nCPU profile, self time, ms per second (top 25):\n');
  for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25))
    process.stdout.write(`  ${v.toFixed(1).padStart(7)}  ${k}\n`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dataDir = mkdtempSync(join(tmpdir(), 'ss-bench-dash-'));
const server = await startServer({ port: 0, dataDir, logLevel: 'error' });
const browser = await launchChromium();
const students: ScriptedStudent[] = [];
let timer: ReturnType<typeof setInterval> | null = null;
try {
  const signup = await fetch(`${server.url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.org', password: 'bench-password', name: 'Bench' }),
  });
  const cookie = signup.headers.get('set-cookie')?.split(';')[0] ?? '';
  if (!signup.ok || !cookie) throw new Error(`signup failed: HTTP ${signup.status}`);
  const created = await fetch(`${server.url}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ title: 'Bench class', mode: 'exam', emotion: 'off' }),
  });
  const session = (await created.json()) as { id: string; joinCode: string };

  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  // A string, not a function: tsx would wrap named inner functions in a helper the page does not have.
  // The frame counter runs only while measuring the frame rate: a rAF loop makes Chromium produce every
  // frame, which is work of its own that the page would not otherwise do.
  await page.addInitScript(`
    const b = { frames: 0, long: 0, on: false };
    window.__bench = b;
    window.__dashboard = null; // asks the dashboard to expose its store (msgs/s reads store.applied)
    const loop = () => { b.frames++; if (b.on) requestAnimationFrame(loop); };
    b.start = () => { if (!b.on) { b.on = true; requestAnimationFrame(loop); } };
    b.stop = () => { b.on = false; };
    new PerformanceObserver((list) => { b.long += list.getEntries().length; }).observe({ type: 'longtask' });
  `);
  await page.goto(`${server.url}/teacher/sessions/${session.id}`);
  await page.getByTestId('class-timeline').waitFor();
  const cdp = await context.newCDPSession(page);
  process.stdout.write(`page visibility: ${await page.evaluate(() => document.visibilityState)}\n`);
  await cdp.send('Performance.enable');
  await new Promise((r) => setTimeout(r, 2000));

  process.stdout.write(
    `dashboard bench: ${STUDENTS} students × ${HZ} Hz, ${WINDOWS} windows of ${WINDOW_MS} ms\n`,
  );
  const idle = await measure(page, cdp, 'baseline (0 students, page idle)');
  const idleTrace = await traceBusy(browser, page);

  for (let i = 0; i < STUDENTS; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, STUDENTS - i) }, (_, k) =>
        ScriptedStudent.join(server.url, session.joinCode, `Student ${String(i + k + 1).padStart(3, '0')}`),
      ),
    );
    students.push(...batch);
  }
  const scripts = students.map((_, i) => behaviour(i + 1));
  // Spread the sends over each period, like independent students.
  let tick = 0;
  const slots = 10;
  timer = setInterval(
    () => {
      const slot = tick++ % slots;
      for (let i = slot; i < students.length; i += slots) students[i].send(scripts[i]());
    },
    1000 / HZ / slots,
  );
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="student-tile"]').length >= n,
    STUDENTS,
    {
      timeout: 60_000,
    },
  );
  await new Promise((r) => setTimeout(r, 3000));
  // Diagnostics: BENCH_HIDE=".grid" hides part of the page to see what it costs.
  if (process.env.BENCH_HIDE)
    await page.addStyleTag({ content: `${process.env.BENCH_HIDE} { display: none !important; }` });
  const loaded = await measure(page, cdp, `${STUDENTS} students live`);
  if (process.env.BENCH_PROFILE) await profileTop(cdp);
  const loadedTrace = await traceBusy(browser, page);
  if (process.env.BENCH_TRACE) {
    process.stdout.write(
      '\ntrace with students, renderer main thread, ms per second (wall / CPU, nested overlap):\n',
    );
    for (const [n, w, c] of loadedTrace.top)
      process.stdout.write(`  ${n.padEnd(36)} ${w.toFixed(1).padStart(7)} ${c.toFixed(1).padStart(7)}\n`);
  }

  const cols: [string, (m: { busy: Window[]; fps: Window }) => string][] = [
    ['busy ms/s', (m) => median(m.busy.map((x) => x.busyMsPerS)).toFixed(1)],
    ['max', (m) => Math.max(...m.busy.map((x) => x.busyMsPerS)).toFixed(1)],
    ['script', (m) => median(m.busy.map((x) => x.scriptMsPerS)).toFixed(1)],
    ['layout', (m) => median(m.busy.map((x) => x.layoutMsPerS)).toFixed(1)],
    ['style', (m) => median(m.busy.map((x) => x.styleMsPerS)).toFixed(1)],
    ['long tasks', (m) => String(m.busy.reduce((a, x) => a + x.longTasks, 0))],
    ['msgs/s', (m) => median(m.busy.map((x) => x.msgsPerS)).toFixed(0)],
    ['fps', (m) => m.fps.fps.toFixed(1)],
    ['busy@fps', (m) => m.fps.busyMsPerS.toFixed(1)],
  ];
  const line = (label: string, cells: string[]) =>
    label.padEnd(28) + cells.map((c, i) => c.padStart(Math.max(7, cols[i][0].length + 1))).join('');
  const out = [
    '',
    `wall-clock main-thread time (CDP TaskDuration), medians of ${WINDOWS} × ${WINDOW_MS / 1000} s; fps and busy@fps from one window with a rAF counter:`,
    line(
      'phase',
      cols.map(([h]) => h),
    ),
    line(
      'baseline: idle, 0 students',
      cols.map(([, f]) => f(idle)),
    ),
    line(
      `${STUDENTS} students @ ${HZ} Hz`,
      cols.map(([, f]) => f(loaded)),
    ),
    '',
    'traced main-thread tasks (3 s, no rAF counter):   wall ms/s   CPU ms/s',
    `  ${'baseline: idle, 0 students'.padEnd(46)} ${idleTrace.wallMsPerS.toFixed(1).padStart(9)} ${idleTrace.cpuMsPerS.toFixed(1).padStart(10)}`,
    `  ${`${STUDENTS} students @ ${HZ} Hz`.padEnd(46)} ${loadedTrace.wallMsPerS.toFixed(1).padStart(9)} ${loadedTrace.cpuMsPerS.toFixed(1).padStart(10)}`,
    '',
    `main-thread busy with ${STUDENTS} students: ${median(loaded.busy.map((x) => x.busyMsPerS)).toFixed(1)} ms/s wall (median), ` +
      `${loadedTrace.cpuMsPerS.toFixed(1)} ms/s CPU; baseline ${median(idle.busy.map((x) => x.busyMsPerS)).toFixed(1)} / ` +
      `${idleTrace.cpuMsPerS.toFixed(1)} (target < 100 ms/s)`,
    `load average while measuring: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} on ${cpus().length} cores (the server and the students share them with Chromium)`,
  ];
  process.stdout.write(out.join('\n') + '\n');
} finally {
  if (timer) clearInterval(timer);
  for (const s of students) s.close();
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
