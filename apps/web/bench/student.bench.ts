/**
 * `npm run bench:student`: the student page in headless Chromium with a fake webcam (a real face photo),
 * with the page's default backend (`auto`). Prints the time from consent to the first analysed frame with
 * `auto` against `?backend=wasm` forced (same run, alternated), then analysed frames per second and
 * main-thread long tasks / timer lag while analysing, against a baseline in the same run: the same page
 * with analysis paused.
 * Needs the built web app (`node scripts/build.mjs`) and Chromium (CHROMIUM_PATH).
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startServer } from '@smartsession/server';
import { fakeCameraFlags, launchChromium } from '../../../test/support/browser.js';
import { TeacherWatch, writeWebcamScript } from '../test/studentFixtures.js';

const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 5);
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 4);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const webDist = join(root, 'apps/web/dist');

/**
 * Installed before the page's scripts: records long tasks and how late a 50 ms timer fires. Plain
 * JavaScript text, because tsx would wrap named functions in a helper the page does not have.
 */
const INSTRUMENT = `
  window.__longTasks = [];
  window.__lag = [];
  let expected = performance.now() + 50;
  const tick = () => {
    const now = performance.now();
    window.__lag.push(Math.max(0, now - expected));
    expected = now + 50;
    setTimeout(tick, 50);
  };
  setTimeout(tick, 50);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push(e.duration);
  }).observe({ entryTypes: ['longtask'] });
`;

interface WindowStats {
  fps: number;
  /** Share of one core the worker spent analysing (fps × average ms per frame / 1000). */
  busy: number;
  longTasks: number;
  longTaskMs: number;
  lagP50: number;
  lagP95: number;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};
const pct = (v: number[], p: number) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN;
};

async function measure(page: Page): Promise<WindowStats> {
  const read = () =>
    page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[]; __lag: number[] };
      const el = document.querySelector('[data-testid="student-stats"]');
      return {
        analysed: Number(el?.getAttribute('data-analysed') ?? 0),
        ms: Number(el?.getAttribute('data-analysis-ms') || 0),
        long: w.__longTasks.length,
        lag: w.__lag.length,
      };
    });
  const a = await read();
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
  const b = await read();
  const secs = (Date.now() - t0) / 1000;
  const { long, lag } = await page.evaluate(
    ([l0, g0]) => {
      const w = window as unknown as { __longTasks: number[]; __lag: number[] };
      return { long: w.__longTasks.slice(l0), lag: w.__lag.slice(g0) };
    },
    [a.long, a.lag] as const,
  );
  const fps = (b.analysed - a.analysed) / secs;
  return {
    fps,
    busy: (fps * b.ms) / 1000,
    longTasks: long.length,
    longTaskMs: long.reduce((x, y) => x + y, 0),
    lagP50: median(lag),
    lagP95: pct(lag, 0.95),
  };
}

function summary(label: string, ws: WindowStats[]): string {
  const m = (k: keyof WindowStats) => median(ws.map((w) => w[k]));
  return `${label.padEnd(22)} analysed fps median ${m('fps').toFixed(2)} | worker busy ${(m('busy') * 100).toFixed(0)}% of a core | long tasks/${WINDOW_S}s median ${m('longTasks')} (${m('longTaskMs').toFixed(0)} ms) | timer lag p50 ${m('lagP50').toFixed(1)} ms, p95 ${m('lagP95').toFixed(1)} ms`;
}

const FIRST_RUNS = Number(process.env.BENCH_FIRST_RUNS ?? 2);

/** Ms from clicking consent to the first analysed frame, in a fresh browser context (cold worker). */
async function firstFrameMs(
  browser: Browser,
  url: string,
  name: string,
): Promise<{ ms: number; backend: string }> {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(url);
    await page.getByTestId('join-name').fill(name);
    await page.getByTestId('join-submit').click();
    const t0 = Date.now();
    await page.getByTestId('consent-accept').click();
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid="student-stats"]')?.getAttribute('data-analysed')) > 0,
      null,
      { timeout: 120_000 },
    );
    const ms = Date.now() - t0;
    return { ms, backend: (await page.getByTestId('student-stats').getAttribute('data-backend')) ?? '?' };
  } finally {
    await ctx.close();
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(webDist, 'index.html')))
    throw new Error('apps/web/dist is missing: run `node scripts/build.mjs`');
  const dir = mkdtempSync(join(tmpdir(), 'ss-bench-student-'));
  const web = join(dir, 'web');
  cpSync(webDist, web, { recursive: true });
  const y4m = join(dir, 'webcam.y4m');
  await writeWebcamScript(y4m, [['facing', 20]]);
  const server = await startServer({ port: 0, dataDir: join(dir, 'data'), webDist: web, logLevel: 'warn' });
  const browser = await launchChromium(fakeCameraFlags(y4m));
  const teacher = await TeacherWatch.open(server.url, 'support');
  try {
    const first: Record<string, { ms: number[]; backend: string }> = {};
    for (let i = 0; i < FIRST_RUNS; i++) {
      for (const q of ['', '?backend=wasm']) {
        const r = await firstFrameMs(
          browser,
          `${server.url}/join/${teacher.joinCode}${q}`,
          `First${i}${q ? 'W' : 'A'}`,
        );
        const key = q ? 'wasm (forced)' : 'auto (default)';
        (first[key] ??= { ms: [], backend: r.backend }).ms.push(r.ms);
      }
    }
    for (const [label, f] of Object.entries(first)) {
      console.log(
        `first analysed frame after consent, ${label.padEnd(15)}: median ${median(f.ms).toFixed(0)} ms over ${f.ms.length} cold starts (backend ${f.backend}; runs ${f.ms.join(', ')} ms)`,
      );
    }
    const page = await browser.newPage();
    await page.addInitScript({ content: INSTRUMENT });
    await page.goto(`${server.url}/join/${teacher.joinCode}`);
    await page.getByTestId('join-name').fill('Bench');
    await page.getByTestId('join-submit').click();
    await page.getByTestId('consent-accept').click();
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid="student-stats"]')?.getAttribute('data-analysed')) > 20,
      null,
      {
        timeout: 120_000,
      },
    );
    const backend = await page.getByTestId('student-stats').getAttribute('data-backend');
    const analysing: WindowStats[] = [];
    for (let i = 0; i < WINDOWS; i++) analysing.push(await measure(page));
    await page.getByTestId('student-pause').click();
    await new Promise((r) => setTimeout(r, 1000));
    const paused: WindowStats[] = [];
    for (let i = 0; i < WINDOWS; i++) paused.push(await measure(page));
    const ms = await page.getByTestId('student-stats').textContent();
    console.log(
      `student page bench: headless Chromium, backend ${backend}, ${WINDOWS} windows of ${WINDOW_S} s, target ≥ 5 analysed fps`,
    );
    console.log(summary('baseline (paused)', paused));
    console.log(summary('analysing (worker)', analysing));
    console.log(`page footer: ${ms}`);
  } finally {
    teacher.close();
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
