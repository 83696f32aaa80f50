/**
 * A class in real Chromium, shared by the CSP test and the HTTPS-stack test: a teacher signs up (from
 * the page, so the browser holds the cookie) and opens the dashboard; a student joins with the fake
 * camera, consents, and the analysis worker (WebAssembly) runs; the dashboard shows the student live.
 * Every Content-Security-Policy violation is collected, from `securitypolicyviolation` events (pages
 * and the worker) and from the console (pages and workers).
 */
import { expect } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

/** Records `securitypolicyviolation` events of the scope it runs in (page or worker) in `__csp`. */
function listen(): void {
  const g = globalThis as unknown as { __csp?: string[] };
  if (g.__csp) return;
  const seen: string[] = (g.__csp = []);
  globalThis.addEventListener('securitypolicyviolation', (e) => {
    const v = e as SecurityPolicyViolationEvent;
    seen.push(
      `${v.effectiveDirective} blocked ${v.blockedURI || 'inline'} (${v.sourceFile}:${v.lineNumber})`,
    );
  });
}

/** Collects CSP violations of every page and worker of a context. */
class CspWatch {
  readonly console: string[] = [];

  private constructor(private readonly pages: Page[]) {}

  static async attach(context: BrowserContext): Promise<CspWatch> {
    const w = new CspWatch([]);
    // In every page before its own scripts, and in each worker as soon as it exists.
    await context.addInitScript(listen);
    const onConsole = (text: string) => {
      if (/Content Security Policy|Refused to/i.test(text)) w.console.push(text);
    };
    context.on('console', (m) => onConsole(m.text()));
    context.on('page', (page) => {
      w.pages.push(page);
      page.on('worker', (worker) => {
        worker.on('console', (m) => onConsole(m.text()));
        worker.evaluate(listen).catch(() => undefined);
      });
    });
    return w;
  }

  /** Every violation so far: events from pages, plus console lines from pages and workers. */
  async violations(): Promise<string[]> {
    const events: string[] = [];
    for (const p of this.pages) {
      if (p.isClosed()) continue;
      events.push(...(await p.evaluate(() => (globalThis as unknown as { __csp?: string[] }).__csp ?? [])));
      for (const worker of p.workers())
        events.push(
          ...(await worker
            .evaluate(() => (globalThis as unknown as { __csp?: string[] }).__csp ?? [])
            .catch(() => [] as string[])),
        );
    }
    return [...events, ...this.console];
  }
}

/** `fetch` from inside the page: same origin, the browser's own cookie jar and Origin header. */
async function pageApi<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const r = await page.evaluate(
    async ([m, p, b]) => {
      const res = await fetch(p as string, {
        method: m as string,
        headers: b === undefined ? {} : { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: res.status, body: await res.text() };
    },
    [method, path, body] as const,
  );
  if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${r.body}`);
  return JSON.parse(r.body) as T;
}

export interface LiveClassResult {
  teacher: Page;
  student: Page;
  joinUrl: string;
  /** The tfjs backend the student's worker runs (`wasm` here). */
  backend: string;
  /** ms from consent to the teacher's tile showing the student focused. */
  seenAfterMs: number;
  teacherCsp: CspWatch;
  studentCsp: CspWatch;
  contexts: BrowserContext[];
}

/**
 * Runs the class: the teacher on `teacherBase`, the student on `studentBase` (the same server, or two
 * instances of one deployment). Resolves once the teacher's dashboard shows the student focused.
 */
export async function liveClass(opts: {
  browser: Browser;
  teacherBase: string;
  studentBase: string;
  context?: BrowserContextOptions;
  name?: string;
}): Promise<LiveClassResult> {
  const name = opts.name ?? 'Ada';
  const tctx = await opts.browser.newContext({ viewport: { width: 1200, height: 900 }, ...opts.context });
  const teacherCsp = await CspWatch.attach(tctx);
  const teacher = await tctx.newPage();
  teacher.on('pageerror', (e) => console.error('[teacher page error]', e));
  await teacher.goto(`${opts.teacherBase}/`);
  await pageApi(teacher, 'POST', '/api/auth/signup', {
    email: `csp${Date.now()}@example.org`,
    password: 'correct horse battery',
    name: 'Ms Csp',
  });
  const s = await pageApi<{ id: string; joinCode: string; joinUrl: string }>(
    teacher,
    'POST',
    '/api/sessions',
    {
      title: 'Security check',
      emotion: 'off',
    },
  );
  await teacher.goto(`${opts.teacherBase}/teacher/sessions/${s.id}`);
  await expect
    .poll(() => teacher.getByTestId('join-code').textContent(), { timeout: 30_000 })
    .toContain(s.joinCode.slice(0, 4));

  const sctx = await opts.browser.newContext({ viewport: { width: 1000, height: 800 }, ...opts.context });
  const studentCsp = await CspWatch.attach(sctx);
  const student = await sctx.newPage();
  student.on('pageerror', (e) => console.error('[student page error]', e));
  await student.goto(`${opts.studentBase}/join/${s.joinCode}`);
  await student.getByTestId('join-name').fill(name);
  await student.getByTestId('join-submit').click();
  await student.getByTestId('consent-accept').click();
  const consented = Date.now();
  const tile = `[data-testid="student-tile"][data-name="${name}"]`;
  await teacher.waitForSelector(`${tile}[data-status="focused"]`, { timeout: 120_000 });
  const seenAfterMs = Date.now() - consented;
  const backend = (await student.getByTestId('student-stats').getAttribute('data-backend')) ?? '';
  return {
    teacher,
    student,
    joinUrl: s.joinUrl,
    backend,
    seenAfterMs,
    teacherCsp,
    studentCsp,
    contexts: [tctx, sctx],
  };
}
