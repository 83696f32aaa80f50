/**
 * Browser tests of the teacher side in real Chromium against the real server (port 0, PGlite in a temp
 * folder) serving the built web app (`node scripts/build.mjs` first; `npm test` does it).
 * Students are scripted Socket.IO clients sending protocol telemetry (no camera here; the student page
 * has its own browser test).
 * - issue 2: sign up, create a session in the UI, a student joins, the tile follows focused → confused →
 *   alert → offline without a reload;
 * - issue 5: alerts feed shows start and end, a marker lands on the class timeline, the detail view shows
 *   the score's contributions; screenshots of grid, class timeline and detail in test-output/screenshots.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer } from '@smartsession/server';
import { launchChromium } from '../../../test/support/browser.js';
import { browserAvailable } from '../../../test/support/env.js';
import { ScriptedStudent } from './support/scriptedStudent.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const webDist = join(root, 'apps/web/dist');
const shots = join(root, 'test-output/screenshots');
const tile = (name: string) => `[data-testid="student-tile"][data-name="${name}"]`;

describe.skipIf(!browserAvailable())('teacher dashboard in Chromium', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let joinCode = '';
  const students: ScriptedStudent[] = [];

  beforeAll(async () => {
    if (!existsSync(join(webDist, 'index.html')))
      throw new Error('apps/web/dist is missing: run `node scripts/build.mjs`');
    dataDir = mkdtempSync(join(tmpdir(), 'ss-web-'));
    server = await startServer({ port: 0, dataDir, webDist, logLevel: 'warn' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => console.error('[page error]', e));
  });

  afterAll(async () => {
    for (const s of students) s.close();
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('[issue 2] teacher signs up, creates a session, and a scripted student tile follows its telemetry', async () => {
    await page.goto(server.url + '/');
    await page.getByTestId('home-signup').click();
    await page.getByTestId('auth-name').fill('Ms Rivera');
    await page.getByTestId('auth-email').fill('rivera@example.org');
    await page.getByTestId('auth-password').fill('correct horse battery');
    await page.getByTestId('auth-submit').click();
    await page.waitForURL('**/teacher');
    await page.getByTestId('session-title').fill('Fractions, period 3');
    await page.getByTestId('session-mode').selectOption('exam');
    await page.getByTestId('session-create').click();
    await page.waitForURL(/\/teacher\/sessions\/[^/]+$/);
    joinCode = (await page.getByTestId('join-code').textContent())?.trim() ?? '';
    expect(joinCode.length).toBeGreaterThanOrEqual(4);
    await expect.poll(() => page.getByTestId('join-url').textContent()).toContain('/join/');
    // A marker on window: a reload would wipe it.
    await page.evaluate(() => ((window as unknown as { __noReload: number }).__noReload = 42));

    const ada = await ScriptedStudent.join(server.url, joinCode, 'Ada');
    students.push(ada);
    ada.send({ status: 'focused' });
    await page.waitForSelector(`${tile('Ada')}[data-status="focused"]`);
    ada.send({ status: 'confused', score: 0.74 });
    await page.waitForSelector(`${tile('Ada')}[data-status="confused"]`);
    ada.send({ status: 'alert', alert: 'GAZE_AWAY', reason: { code: 'LOOKING_AWAY', seconds: 6 } });
    await page.waitForSelector(`${tile('Ada')}[data-status="alert"][data-alert="GAZE_AWAY"]`);
    expect(await page.locator(tile('Ada')).getByTestId('tile-reason').textContent()).toBe('Looking away');
    // Exam mode: an open proctor alert is prominent on the tile.
    expect(await page.locator(tile('Ada')).getAttribute('class')).toContain('prominent');
    await ada.settled();
    ada.close();
    await page.waitForSelector(`${tile('Ada')}[data-status="offline"]`);
    expect(await page.locator(tile('Ada')).getAttribute('data-alert')).toBeNull();
    expect(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(42);
  });

  it('[issue 5] alerts feed shows start and end; tiles change colour live', async () => {
    const ben = await ScriptedStudent.join(server.url, joinCode, 'Ben');
    students.push(ben);
    ben.send({ status: 'focused' });
    await page.waitForSelector(`${tile('Ben')}[data-status="focused"]`);
    const green = await page.locator(tile('Ben')).evaluate((el) => getComputedStyle(el).borderColor);
    ben.send({ status: 'alert', alert: 'NO_PERSON', faces: 0 });
    await page.waitForSelector(`${tile('Ben')}[data-status="alert"][data-alert="NO_PERSON"]`);
    const red = await page.locator(tile('Ben')).evaluate((el) => getComputedStyle(el).borderColor);
    expect(green).toBe('rgb(30, 158, 74)');
    expect(red).toBe('rgb(217, 48, 37)');
    const item = page.locator('[data-testid="alert-item"][data-code="NO_PERSON"]');
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('open');
    expect(await item.getByTestId('alert-start').textContent()).toMatch(/started \d{1,2}:\d\d:\d\d/);
    await item.getByTestId('alert-ongoing').waitFor();
    await new Promise((r) => setTimeout(r, 1200));
    ben.send({ status: 'focused' });
    await page.waitForSelector('[data-testid="alert-item"][data-code="NO_PERSON"][data-state="ended"]');
    expect(await item.getByTestId('alert-end').textContent()).toMatch(
      /ended \d{1,2}:\d\d:\d\d\W*([AP]M)? after \d+ sec/,
    );
    await item.getByTestId('alert-ack').click();
    await page.waitForSelector('[data-testid="alert-item"][data-code="NO_PERSON"]', { state: 'detached' });
  });

  it('[issue 5] a marker appears on the class timeline; detail shows contributions; screenshots', async () => {
    const names = ['Chen', 'Dara', 'Eli', 'Farah', 'Gus', 'Hana'];
    for (const n of names) students.push(await ScriptedStudent.join(server.url, joinCode, n));
    const [chen, dara, eli, farah, gus, hana] = students.slice(-6);
    const start = Date.now();
    // Some history for the charts: a few seconds of mixed statuses.
    for (let k = 0; k < 6; k++) {
      chen.send({ status: 'focused', score: 0.15 + 0.02 * k });
      dara.send({ status: k < 3 ? 'focused' : 'confused', score: 0.3 + 0.1 * k });
      eli.send({ status: 'confused', score: 0.66 + 0.02 * k, reason: { code: 'BROWS_LOWERED', seconds: 2 } });
      farah.send({ status: 'focused', score: 0.2 });
      gus.send({ status: k < 4 ? 'focused' : 'alert', alert: 'MULTIPLE_PEOPLE', faces: 2 });
      hana.send({ status: 'calibrating' });
      await new Promise((r) => setTimeout(r, 600));
    }
    farah.selfReport('lost');
    await page.getByTestId('marker-label').fill('started fractions');
    await page.getByTestId('marker-add').click();
    for (let k = 0; k < 3; k++) {
      dara.send({ status: 'confused', score: 0.81 });
      chen.send({ status: 'confused', score: 0.7 });
      await new Promise((r) => setTimeout(r, 600));
    }
    await page.waitForSelector(
      '[data-testid="class-timeline"] [data-testid="timeline-marker"][data-label="started fractions"]',
    );
    await page.waitForSelector(`${tile('Gus')}[data-status="alert"][data-alert="MULTIPLE_PEOPLE"]`);
    await page.waitForSelector(`${tile('Farah')}[data-lost="true"]`);
    expect(Date.now() - start).toBeLessThan(30_000);

    // Sorted by need (exam mode): proctor alert, then the "I'm lost" press, confused (longest first),
    // offline, calibrating, focused last.
    await expect
      .poll(() =>
        page
          .locator('[data-testid="student-tile"]')
          // Where each tile shows up on screen, top to bottom, left to right (tiles place themselves).
          .evaluateAll((els) =>
            els
              .map((e) => ({ r: e.getBoundingClientRect(), name: e.getAttribute('data-name') }))
              .sort((a, b) => a.r.top - b.r.top || a.r.left - b.r.left)
              .map((x) => x.name),
          ),
      )
      .toEqual(['Gus', 'Farah', 'Eli', 'Dara', 'Chen', 'Ada', 'Hana', 'Ben']);

    await page.locator(tile('Eli')).click();
    const detail = page.getByTestId('student-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-name')).toBe('Eli');
    const rows = detail.getByTestId('contribution');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).toEqual([
      'brow',
      'tilt',
    ]);
    // The server sends a student's state (with its frame) when the status changes: Eli's first confused
    // frame, score 0.66, of which brow is 70 % (see frameFor).
    const sent = 0.66 * 0.7;
    expect(Number(await rows.first().getAttribute('data-value'))).toBeCloseTo(sent, 2);
    // Emotion is off for this session: nothing emotion-shaped anywhere on the page.
    expect(await page.locator('body').textContent()).not.toMatch(/smil|happy|expression/i);
    await detail.getByTestId('student-timeline').locator('canvas').first().waitFor();

    mkdirSync(shots, { recursive: true });
    await page.getByTestId('student-grid').screenshot({ path: join(shots, 'dashboard-grid.png') });
    await page.getByTestId('class-timeline').screenshot({ path: join(shots, 'class-timeline.png') });
    await detail.screenshot({ path: join(shots, 'student-detail.png') });
    await page.screenshot({ path: join(shots, 'dashboard-full.png'), fullPage: true });
  });

  it('[issue 5] accommodations are saved for the student', async () => {
    const detail = page.getByTestId('student-detail');
    await detail.getByTestId('accommodation-lookaway').fill('10');
    await detail.getByTestId('accommodation-gaze').uncheck();
    await detail.getByTestId('accommodation-save').click();
    await detail.getByText('Saved').waitFor();
    const eli = students.find((s) => s.name === 'Eli');
    await expect.poll(() => eli?.accommodations).toEqual({ lookAwaySeconds: 10, gazeChecks: false });
  });

  it('[issue 5] reconnects on its own behind a "reconnecting" banner, without a reload', async () => {
    const chen = students.find((s) => s.name === 'Chen')!;
    await page.context().setOffline(true);
    await page.getByTestId('reconnecting').waitFor({ timeout: 20_000 });
    chen.send({ status: 'alert', alert: 'NO_PERSON', faces: 0 });
    await chen.settled();
    await page.context().setOffline(false);
    await page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 20_000 });
    // The snapshot after the reconnect carries what happened while the page was cut off.
    await page.waitForSelector(`${tile('Chen')}[data-status="alert"][data-alert="NO_PERSON"]`);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(42);
  });

  it('[issue 9] storage down: a clear banner while live updates go on; it goes when storage is back', async () => {
    const chen = students.find((s) => s.name === 'Chen')!;
    const fn = 'refuse_dashboard_test';
    await server.database.db.execute(
      `create function ${fn}() returns trigger language plpgsql as $$
        begin raise exception 'read-only' using errcode = '25006'; end $$`,
    );
    await server.database.db.execute(
      `create trigger ${fn} before insert on samples for each row execute function ${fn}()`,
    );
    chen.send({ status: 'confused', score: 0.8 });
    await page.getByTestId('storage-down').waitFor({ timeout: 20_000 });
    // Live view still moves while nothing can be saved.
    chen.send({ status: 'focused' });
    await page.waitForSelector(`${tile('Chen')}[data-status="focused"]`);
    await server.database.db.execute(`drop trigger ${fn} on samples`);
    await server.database.db.execute(`drop function ${fn}()`);
    await page.getByTestId('storage-down').waitFor({ state: 'detached', timeout: 20_000 });
  });

  it('[issue 5] anonymous mode shows only the class aggregate; the report lists the students', async () => {
    await page.getByTestId('setting-anonymous').click(); // applied when the server confirms
    await page.getByTestId('anonymous-note').waitFor();
    expect(await page.getByTestId('student-tile').count()).toBe(0);
    await page.getByTestId('class-summary').waitFor();
    const feedNames = await page.locator('[data-testid="alert-group"] .feed-name').allTextContents();
    expect(feedNames.every((t) => t.startsWith('A student'))).toBe(true);
    await page.getByTestId('setting-anonymous').click();
    await page.waitForSelector(tile('Gus'));

    const url = page.url();
    await page.goto(url + '/report');
    await page.getByTestId('report-student-row').first().waitFor();
    expect(await page.getByTestId('report-student-row').count()).toBe(students.length);
  });
});
