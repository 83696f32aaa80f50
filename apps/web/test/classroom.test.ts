/**
 * Issue 11, "Classroom-ready", in real Chromium against the real server (port 0, PGlite in a temp folder)
 * serving the built web app. One browser and one server for the whole file; students are scripted
 * Socket.IO clients (the student page itself runs with Chromium's own fake camera, which needs no file).
 *
 * Each finding of the issue has a test here. Every page is checked by axe-core (WCAG 2.x A/AA rules, 0
 * violations) in English (390 and 1400 px) and Spanish (390 px), must not scroll sideways from 360 px up in
 * either language, and is photographed at 390, 768 and 1400 px into test-output/screenshots/classroom/.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer } from '@smartsession/server';
import { launchChromium } from '../../../test/support/browser.js';
import { browserAvailable } from '../../../test/support/env.js';
import { ScriptedStudent } from './support/scriptedStudent.js';
import { qrPath } from '../src/ui/qr.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const webDist = join(root, 'apps/web/dist');
const shots = join(root, 'test-output/screenshots/classroom');
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [390, 768, 1400] as const;
const tile = (name: string) => `[data-testid="student-tile"][data-name="${name}"]`;
const PASSWORD = 'correct horse battery';

type Server = Awaited<ReturnType<typeof startServer>>;

/** A signed-in teacher over plain HTTP (the cookie also goes into the browser context). */
class Teacher {
  cookie = '';
  constructor(readonly base: string) {}
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), cookie: this.cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  async session(title: string, mode: 'support' | 'exam', emotion: 'on' | 'off' = 'off') {
    return this.call<{ id: string; joinCode: string; joinUrl: string }>('POST', '/api/sessions', {
      title,
      mode,
      emotion,
    });
  }
}

/** axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the page as it is; returns readable violations. */
async function axe(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the page's Content-Security-Policy does not govern
  // (an inline <script> tag would be refused by it, as it should be).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run(
          ctx: Document,
          opts: unknown,
        ): Promise<{ violations: { id: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }>;
      };
    };
    const r = await w.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return r.violations.map(
      (v) =>
        `${v.id}: ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' / ')}`,
    );
  });
  return violations;
}

/** Whether the page scrolls sideways at its current width (it must not). */
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function setLanguage(page: Page, locale: 'en' | 'es'): Promise<void> {
  await page.getByTestId('language-switch').selectOption(locale);
  await page.waitForFunction((l) => document.documentElement.lang === l, locale);
}

/** Two frames, so a resize or a language switch is laid out and painted. */
const settle = (page: Page) =>
  page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );

/**
 * The checks every page gets: no sideways scroll at 360 px and the screenshot widths in both languages,
 * screenshots at 390/768/1400 (English), axe-core with 0 violations in both languages.
 */
async function checkPage(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? { width: 1400, height: 1000 };
  mkdirSync(shots, { recursive: true });
  const problems: string[] = [];
  for (const locale of ['en', 'es'] as const) {
    await setLanguage(page, locale);
    for (const width of [360, ...WIDTHS]) {
      await page.setViewportSize({ width, height: 900 });
      await settle(page);
      const over = await sideways(page);
      if (over > 0) problems.push(`${locale} ${width}px scrolls sideways by ${over}px`);
      if (locale === 'en' && width !== 360)
        await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
      // axe at a phone's and a wide screen's layout in English, at a phone's (longest lines) in Spanish.
      if (width === 390 || (width === 1400 && locale === 'en'))
        for (const v of await axe(page)) problems.push(`${locale} ${width}px axe ${v}`);
    }
  }
  await setLanguage(page, 'en');
  await page.setViewportSize(original);
  await settle(page);
  expect(problems, name).toEqual([]);
}

/** Where each tile is on screen (top to bottom, left to right), by name. */
const visualOrder = (page: Page) =>
  page.locator('[data-testid="student-tile"]:visible').evaluateAll((els) =>
    els
      .map((e) => ({ r: e.getBoundingClientRect(), name: e.getAttribute('data-name') }))
      .sort((a, b) => a.r.top - b.r.top || a.r.left - b.r.left)
      .map((x) => x.name),
  );
const domOrder = (page: Page) =>
  page
    .locator('[data-testid="student-tile"]:visible')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));

describe.skipIf(!browserAvailable())('[issue 11] classroom-ready pages in Chromium', () => {
  let server: Server;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dir: string;
  let teacher: Teacher;
  const students: ScriptedStudent[] = [];

  beforeAll(async () => {
    if (!existsSync(join(webDist, 'index.html')))
      throw new Error('apps/web/dist is missing: run `node scripts/build.mjs`');
    dir = mkdtempSync(join(tmpdir(), 'ss-classroom-'));
    // A snapshot of the built app: a rebuild during the run must not pull it away.
    const web = join(dir, 'web');
    cpSync(webDist, web, { recursive: true });
    server = await startServer({ port: 0, dataDir: join(dir, 'data'), webDist: web, logLevel: 'warn' });
    // Chromium's own fake camera (a test pattern) for the student page: no file needed.
    browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
    teacher = new Teacher(server.url);
    await teacher.call('POST', '/api/auth/signup', {
      email: 'rivera@example.org',
      password: PASSWORD,
      name: 'Ms Rivera',
    });
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
    const [name, value] = teacher.cookie.split('=');
    await context.addCookies([{ name: name!, value: value!, url: server.url }]);
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('[page error]', e));
  });

  afterAll(async () => {
    for (const s of students) s.close();
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const enrol = async (code: string, name: string, consent = false) => {
    const s = await ScriptedStudent.join(server.url, code, name, consent);
    students.push(s);
    return s;
  };

  it('[finding 1] the front door: a student types a code; teachers sign in or up; /join/ asks for the code; a wrong code offers another try', async () => {
    const anon = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const p = await anon.newPage();
    try {
      const s = await teacher.session('Front door', 'support');
      await p.goto(server.url + '/');
      await p.getByTestId('home-signin').waitFor();
      await p.getByTestId('home-signup').waitFor();
      await checkPage(p, 'front-door');
      await p.getByTestId('join-code-input').fill(s.joinCode.toLowerCase());
      await p.getByTestId('join-code-submit').click();
      await p.waitForURL(`**/join/${s.joinCode}`);
      await p.getByTestId('join-name').waitFor();
      await checkPage(p, 'student-name');

      await p.goto(server.url + '/join/');
      await p.getByTestId('join-code-input').waitFor();
      await checkPage(p, 'student-code');
      await p.goto(server.url + '/join/NOPE-999');
      await p.getByTestId('join-error').waitFor();
      expect(await p.getByTestId('join-name').count()).toBe(0);
      await p.getByTestId('join-code-input').fill(s.joinCode);
      await p.getByTestId('join-code-submit').click();
      await p.getByTestId('join-name').waitFor();
      await p.goto(server.url + '/join/NOPE-999');
      await p.getByTestId('join-error').waitFor();
      await checkPage(p, 'student-bad-code');
    } finally {
      await anon.close();
    }
  });

  it('[finding 10] a dashboard link opened signed out asks to sign in (not sign up) and then opens that dashboard', async () => {
    const s = await teacher.session('Demo class', 'support');
    const anon = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const p = await anon.newPage();
    try {
      await p.goto(`${server.url}/teacher/sessions/${s.id}`);
      await p.waitForURL('**/signin?next=*');
      await p.getByTestId('auth-email').waitFor();
      expect(await p.getByTestId('auth-name').count()).toBe(0);
      await checkPage(p, 'sign-in');
      await p.getByTestId('auth-email').fill('rivera@example.org');
      await p.getByTestId('auth-password').fill(PASSWORD);
      await p.getByTestId('auth-submit').click();
      await p.waitForURL(`**/teacher/sessions/${s.id}`);
      await p.getByTestId('join-code').waitFor();
      await p.goto(server.url + '/signup');
      // Signed in already: straight on to the sessions.
      await p.waitForURL('**/teacher');
    } finally {
      await anon.close();
    }
    const fresh = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await fresh.goto(server.url + '/signup');
      await fresh.getByTestId('auth-name').waitFor();
      await checkPage(fresh, 'sign-up');
    } finally {
      await fresh.close();
    }
    await page.goto(server.url + '/teacher');
    await page.getByTestId('session-link').first().waitFor();
    await checkPage(page, 'teacher-home');
  });

  it('[finding 1] join link from the server, copy button, a QR code of that link and a projector view of the code', async () => {
    const s = await teacher.session('Fractions, period 3', 'support');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.goto(`${server.url}/teacher/sessions/${s.id}`);
    const link = page.getByTestId('join-url');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(s.joinUrl);
    expect(await link.textContent()).toBe(s.joinUrl);
    await page.getByTestId('join-copy').click();
    await page.getByTestId('join-copy-state').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(s.joinUrl);
    // The QR code is the join link's, drawn in the page (no image from elsewhere).
    const d = await page.locator('.join-panel [data-testid="join-qr"] path').getAttribute('d');
    expect(d).toBe(qrPath(s.joinUrl).d);
    await page.getByTestId('projector-open').click();
    const projector = page.getByTestId('projector');
    await projector.waitFor();
    expect(await page.getByTestId('projector-code').textContent()).toBe(s.joinCode);
    const big = await page
      .getByTestId('projector-code')
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(big).toBeGreaterThan(60);
    await checkPage(page, 'projector');
    await page.keyboard.press('Escape');
    await projector.waitFor({ state: 'detached' });
  });

  it('[findings 2, 3, 5, 8] support mode speaks of support, tiles are readable and in need order in the DOM, names are whole and told apart', async () => {
    const s = await teacher.session('Support words', 'support');
    await page.goto(`${server.url}/teacher/sessions/${s.id}`);
    await page.getByTestId('join-code').waitFor();
    const names = [
      'Maya Stuart-Fitzgerald',
      'Emma Moreau',
      'Emma Okafor',
      'Sam Lee',
      'Sam Lee',
      'Noor',
      'Ben',
    ];
    const joined: ScriptedStudent[] = [];
    for (const n of names) joined.push(await enrol(s.joinCode, n)); // in order: join numbers 1..7
    const [maya, moreau, okafor, sam1, sam2, noor, ben] = joined;
    maya!.send({ status: 'focused' });
    moreau!.send({ status: 'confused', score: 0.7, reason: { code: 'BROWS_LOWERED', seconds: 3 } });
    okafor!.send({ status: 'alert', alert: 'GAZE_AWAY', reason: { code: 'LOOKING_AWAY', seconds: 5 } });
    sam1!.send({ status: 'camera-off', reason: { code: 'CAMERA_OFF' } });
    sam2!.send({ status: 'calibrating', reason: { code: 'CALIBRATING' } });
    noor!.send({
      status: 'alert',
      alert: 'NO_PERSON',
      faces: 0,
      reason: { code: 'NO_ONE_IN_VIEW', seconds: 4 },
    });
    ben!.send({ status: 'focused' });
    ben!.selfReport('lost');
    await page.waitForSelector(`${tile('Emma Okafor')}[data-status="alert"]`);
    await page.waitForSelector(`${tile('Ben')}[data-lost="true"]`);

    // [2] No red, no "Proctor Alert" anywhere in support mode.
    const okaforTile = page.locator(tile('Emma Okafor'));
    expect(await okaforTile.textContent()).toContain('Needs a look');
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toMatch(/proctor alert/i);
    const border = await okaforTile.evaluate((el) => getComputedStyle(el).borderColor);
    expect(border).not.toBe('rgb(217, 48, 37)');
    expect(await page.getByTestId('alerts-feed').locator('h2').textContent()).toMatch(/^Needs a look/);

    // [8] One word per event, never twice: the tile says what the student page and the feed say.
    expect(await page.locator(tile('Noor')).getByTestId('tile-reason').textContent()).toBe('No one in view');
    expect(await page.locator(tile('Sam Lee')).first().getByTestId('tile-reason').textContent()).toBe('');
    for (const t of await page.getByTestId('student-tile').allTextContents()) {
      expect(t).not.toMatch(/Camera off.*Camera off|Calibrating.*Calibrating/);
    }
    // Numbers are labelled: "for 4 sec", and the sparkline has its caption.
    expect(await okaforTile.textContent()).toMatch(/for \d+ sec/);
    expect(await okaforTile.textContent()).toMatch(/Confusion$/);

    // [5] Whole names where there is room; duplicates told apart by their join number.
    const clipped = await page
      .locator(tile('Maya Stuart-Fitzgerald'))
      .getByTestId('tile-name')
      .evaluate((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);
    expect(clipped).toBe(false);
    const labels = await page
      .locator(tile('Sam Lee'))
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));
    expect(labels.sort()).toEqual(['Sam Lee #4', 'Sam Lee #5']);
    expect(await page.locator(tile('Emma Moreau')).getByTestId('tile-name').textContent()).toBe(
      'Emma Moreau',
    );
    // The whole name on keyboard focus, even when long.
    await page.locator(tile('Maya Stuart-Fitzgerald')).focus();
    expect(await page.locator(tile('Maya Stuart-Fitzgerald')).getAttribute('title')).toBe(
      'Maya Stuart-Fitzgerald',
    );
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    // [3] Status words meet contrast (axe below) and the DOM order is the visual need order.
    await expect
      .poll(() => domOrder(page))
      .toEqual(['Ben', 'Emma Okafor', 'Noor', 'Emma Moreau', 'Sam Lee', 'Sam Lee', 'Maya Stuart-Fitzgerald']);
    expect(await visualOrder(page)).toEqual(await domOrder(page));
    expect(
      await page
        .locator('.grid')
        .evaluate((g) => [...g.children].some((c) => getComputedStyle(c).order !== '0')),
    ).toBe(false);
    // Tab goes through the tiles in that order.
    await page.locator(tile('Ben')).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-name'))).toBe('Emma Okafor');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-name'))).toBe('Noor');

    // [3] Enter opens the detail, focus moves into it, Escape closes it and focus returns to the tile.
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('student-detail');
    await detail.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('detail-title');
    await checkPage(page, 'dashboard-support-detail');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-name'))).toBe('Noor');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await checkPage(page, 'dashboard-support');

    // The student page says the same in support mode: no "Proctor Alert".
    for (const st of [maya, moreau, okafor, sam1, sam2, noor, ben]) st!.close();
  });

  it('[findings 3, 4] 25 students: no sideways scroll from 360 px to wide, readable tiles on a phone, the join code whole', async () => {
    const s = await teacher.session('Period 5, a full class', 'exam');
    const names = Array.from({ length: 25 }, (_, i) => `Student number ${i + 1} with a long surname`);
    const class25 = await Promise.all(names.map((n) => enrol(s.joinCode, n)));
    class25.forEach((st, i) =>
      st.send(
        i % 5 === 0
          ? { status: 'alert', alert: 'GAZE_AWAY', reason: { code: 'LOOKING_AWAY', seconds: 6 } }
          : i % 3 === 0
            ? { status: 'confused', score: 0.7, reason: { code: 'HEAD_TILTED', seconds: 2 } }
            : { status: 'focused' },
      ),
    );
    await page.goto(`${server.url}/teacher/sessions/${s.id}`);
    await expect.poll(() => page.getByTestId('student-tile').count(), { timeout: 30_000 }).toBe(25);
    await page.waitForSelector('[data-testid="student-tile"][data-status="alert"]');
    for (const width of [360, 390, 768, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await settle(page);
      expect(await sideways(page), `${width}px`).toBe(0);
      const tileWidth = await page
        .getByTestId('student-tile')
        .first()
        .evaluate((el) => el.getBoundingClientRect().width);
      expect(tileWidth, `${width}px tile`).toBeGreaterThanOrEqual(150);
      const cut = await page.getByTestId('join-code').evaluate((el) => el.scrollWidth > el.clientWidth);
      expect(cut, `${width}px join code`).toBe(false);
    }
    // Exam mode: exam words and red.
    const alertTile = page.locator('[data-testid="student-tile"][data-status="alert"]').first();
    expect(await alertTile.textContent()).toContain('Exam alert');
    expect(await alertTile.evaluate((el) => getComputedStyle(el).borderColor)).toBe('rgb(217, 48, 37)');
    await page.setViewportSize({ width: 1400, height: 1000 });
    await checkPage(page, 'dashboard-exam-25');
    for (const st of class25) st.close();
  });

  it('[finding 7] the feed: right counts with "I\'m lost", no blips, grouped per student, dismiss all ended, a live announcement, sound and desktop notification in exam mode, all closed at the end', async () => {
    const s = await teacher.session('Exam feed', 'exam');
    await context.grantPermissions(['notifications'], { origin: server.url });
    await page.addInitScript(() => {
      const w = window as unknown as { __notified: string[]; __tones: number };
      w.__notified = [];
      w.__tones = 0;
      const Real = window.Notification;
      // Calls through to the real Notification; only counts what the page shows.
      class Counting extends Real {
        constructor(title: string, opts?: NotificationOptions) {
          super(title, opts);
          w.__notified.push(`${title}: ${opts?.body ?? ''}`);
        }
      }
      window.Notification = Counting as typeof Notification;
      const osc = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        w.__tones++;
        return osc.call(this);
      };
    });
    await page.goto(`${server.url}/teacher/sessions/${s.id}`);
    await page.getByTestId('alerts-feed').waitFor();
    await page.getByTestId('alerts-sound').check();
    await page.getByTestId('alerts-desktop').click(); // checked once the browser's permission answer is in
    await expect.poll(() => page.getByTestId('alerts-desktop').isChecked()).toBe(true);
    const tonesBefore = await page.evaluate(() => (window as unknown as { __tones: number }).__tones);

    const [ana, bo, cy, di, ed] = await Promise.all(
      ['Ana', 'Bo', 'Cy', 'Di', 'Ed'].map((n) => enrol(s.joinCode, n)),
    );
    for (const st of [ana, bo, cy, di, ed]) st!.send({ status: 'focused' });
    // A blip: an alert that ends within a second never shows.
    ed!.send({ status: 'alert', alert: 'NO_PERSON', faces: 0 });
    ed!.send({ status: 'focused', t: Date.now() + 300 });
    // Three "I'm lost" presses and one lasting alert: four things await the teacher.
    for (const st of [bo, cy, di]) st!.selfReport('lost');
    ana!.send({ status: 'alert', alert: 'GAZE_AWAY', reason: { code: 'LOOKING_AWAY', seconds: 5 } });
    await expect
      .poll(() => page.getByTestId('open-alert-count').textContent(), { timeout: 15_000 })
      .toBe('4 waiting');
    await ed!.settled();
    expect(await page.locator('[data-testid="alert-group"]').count()).toBe(4);
    expect(await page.locator('[data-testid="alert-item"][data-code="NO_PERSON"]').count()).toBe(0);
    // Screen readers hear about it; in exam mode a tone and a desktop notification too (switched on above).
    await expect.poll(() => page.getByTestId('alert-announcer').textContent()).toContain('Ana: Looking away');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __notified: string[] }).__notified))
      .toContain('Exam alerts: Ana: Looking away');
    expect(await page.evaluate(() => (window as unknown as { __tones: number }).__tones)).toBeGreaterThan(
      tonesBefore,
    );

    // Grouped per student: Ana's second alert joins her group.
    ana!.send({ status: 'focused' });
    ana!.send({ status: 'alert', alert: 'MULTIPLE_PEOPLE', faces: 2, t: Date.now() + 10 });
    await page
      .locator('[data-testid="alert-group"]')
      .filter({ hasText: 'Ana' })
      .locator('[data-testid="alert-item"]')
      .nth(1)
      .waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="alert-group"]').count()).toBe(4);
    await checkPage(page, 'dashboard-exam-feed');

    // Ending the class closes everything.
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('end-session').click();
    await page.getByTestId('session-ended').waitFor();
    await expect
      .poll(() => page.locator('[data-testid="alert-item"][data-state="open"]').count(), { timeout: 10_000 })
      .toBe(0);
    expect(await page.getByTestId('open-alert-count').count()).toBe(0);
    // Dismiss all ended, in one go.
    await page.getByTestId('alerts-dismiss-ended').click();
    await expect.poll(() => page.getByTestId('alert-item').count(), { timeout: 15_000 }).toBe(0);
    const report = await teacher.call<{
      students: { alerts: { endedAt: number | null }[]; selfReports: { endedAt: number | null }[] }[];
    }>('GET', `/api/sessions/${s.id}/report`);
    const open = report.students
      .flatMap((x) => [...x.alerts, ...x.selfReports])
      .filter((a) => a.endedAt === null);
    expect(open).toEqual([]);
    await page.goto(`${server.url}/teacher/sessions/${s.id}/report`);
    await page.getByTestId('report-student-row').first().waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/\(open\)|still open/);
    expect(text).not.toContain('Alert (away)');
    expect(text).toContain('of which away');
    await checkPage(page, 'report');
    // CSV with the teacher's local times next to UTC.
    const href = await page.locator('a[download="report-alerts.csv"]').getAttribute('href');
    expect(href).toContain('tz=');
    for (const st of [ana, bo, cy, di, ed]) st!.close();
  });

  it('[finding 6] charts: an empty class has a one-minute axis with clock labels that do not touch; marker labels stay inside the chart', async () => {
    const s = await teacher.session('Charts', 'support');
    await page.goto(`${server.url}/teacher/sessions/${s.id}`);
    const chart = page.getByTestId('class-timeline');
    await chart.locator('canvas').first().waitFor();
    await expect.poll(() => chart.getAttribute('data-x-span')).not.toBeNull();
    const span = Number(await chart.getAttribute('data-x-span'));
    expect(span).toBeGreaterThanOrEqual(55);
    expect(span).toBeLessThan(3600);
    const labels = (await chart.getAttribute('data-x-labels'))!.split('|');
    for (const l of labels) expect(l).toMatch(/^\d{1,2}:\d\d(:\d\d)?([\s\u202f]?[AP]M)?$/);
    const width = await chart.evaluate((el) => el.clientWidth);
    expect(labels.length * 80).toBeLessThanOrEqual(width);
    // A long marker label, just added (right edge): inside the chart, not over other controls.
    await page
      .getByTestId('marker-label')
      .fill('started the long division worksheet with examples on the board');
    await page.getByTestId('marker-add').click();
    const marker = chart.getByTestId('timeline-marker');
    await marker.waitFor();
    const [m, c] = await Promise.all([
      marker.evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect),
      chart.evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect),
    ]);
    expect(m.left).toBeGreaterThanOrEqual(c.left);
    expect(m.right).toBeLessThanOrEqual(c.right + 1);
    // One student for a few seconds: still a sane axis (not ":02.200 :02.400").
    const solo = await enrol(s.joinCode, 'Solo');
    solo.send({ status: 'focused' });
    await page.waitForSelector(tile('Solo'));
    await page.locator(tile('Solo')).click();
    const st = page.getByTestId('student-timeline');
    await expect.poll(() => st.getAttribute('data-x-labels')).not.toBeNull();
    for (const l of (await st.getAttribute('data-x-labels'))!.split('|')) expect(l).not.toMatch(/^:|\.\d/);
    solo.close();
  });

  it('[finding 9] consent: a real "I don\'t agree" that sends nothing; emotion per student, never shown for one who did not agree', async () => {
    const s = await teacher.session('Consent', 'support', 'on');
    const p = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const posts: string[] = [];
    p.on('request', (r) => {
      if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
    });
    try {
      await p.goto(`${server.url}/join/${s.joinCode}`);
      await p.getByTestId('join-name').fill('Rosa');
      await p.getByTestId('join-submit').click();
      await p.getByTestId('consent-decline').waitFor();
      expect(await p.getByTestId('consent-emotion').isChecked()).toBe(false);
      expect(await p.getByTestId('consent').textContent()).toMatch(/If you don’t agree/);
      await checkPage(p, 'student-consent');
      await p.getByTestId('consent-decline').click();
      await p.getByTestId('consent-declined').waitFor();
      await checkPage(p, 'student-declined');
      expect(posts).toEqual([]);
      const info = await teacher.call<{ participants: unknown[] }>('GET', `/api/sessions/${s.id}`);
      expect(info.participants).toEqual([]);
    } finally {
      await p.close();
    }
    // Emotion on for the class: one student agreed, one did not (whatever its device sends).
    const yes = await enrol(s.joinCode, 'Agreed', true);
    const no = await enrol(s.joinCode, 'Declined emotion', false);
    yes.send({ status: 'confused', score: 0.6, happy: 0.1 });
    no.send({ status: 'confused', score: 0.6, happy: 0.1 });
    await page.goto(`${server.url}/teacher/sessions/${s.id}`);
    await page.waitForSelector(tile('Declined emotion'));
    await page.locator(tile('Declined emotion')).click();
    const detail = page.getByTestId('student-detail');
    await detail.getByTestId('contribution').first().waitFor();
    expect(
      await detail
        .getByTestId('contribution')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-key'))),
    ).toEqual(['brow', 'tilt']);
    expect(await detail.textContent()).not.toMatch(/smil|expression/i);
    await page.locator(tile('Agreed')).click();
    await expect.poll(() => detail.getAttribute('data-name')).toBe('Agreed');
    await expect
      .poll(() =>
        detail.getByTestId('contribution').evaluateAll((els) => els.map((e) => e.getAttribute('data-key'))),
      )
      .toEqual(['brow', 'happy', 'tilt']);
    yes.close();
    no.close();
  });

  it('[finding 8] the student page: plain words, no "Focused" before "Calibrating", what is sent explained', async () => {
    const s = await teacher.session('Plain words', 'support');
    const p = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await p.goto(`${server.url}/join/${s.joinCode}`);
      await p.getByTestId('join-name').fill('Lin');
      await p.getByTestId('join-submit').click();
      // Every status the page shows from the first moment on.
      await p.evaluate(() => {
        const w = window as unknown as { __statuses: string[] };
        w.__statuses = [];
        const seen = () => {
          const el = document.querySelector('[data-testid="student-status"]');
          const st = el?.getAttribute('data-status');
          if (st && w.__statuses.at(-1) !== st) w.__statuses.push(st);
        };
        new MutationObserver(seen).observe(document.body, {
          subtree: true,
          childList: true,
          attributes: true,
        });
      });
      await p.getByTestId('consent-accept').click();
      await p.getByTestId('student-status').waitFor();
      await expect
        .poll(() => p.getByTestId('student-stats').getAttribute('data-acked'), { timeout: 30_000 })
        .not.toBe('0');
      const statuses = await p.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
      expect(statuses[0]).toBe('calibrating');
      const stats = (await p.getByTestId('student-stats').textContent()) ?? '';
      expect(stats).not.toMatch(/message \d|stored up to|analyses\/s|wasm|webgl|\bms\b/);
      expect(stats).toMatch(/^Connected/);
      await p.getByTestId('student-telemetry-toggle').click();
      const sent = p.getByTestId('student-telemetry');
      await sent.waitFor();
      expect(await sent.locator('dt').allTextContents()).toContain('Status');
      expect(await p.getByTestId('student-telemetry-raw').isVisible()).toBe(false);
      expect((await sent.textContent())!.trim().startsWith('{')).toBe(false);
      await checkPage(p, 'student-live');
    } finally {
      await p.close();
    }
  }, 120_000);
});
