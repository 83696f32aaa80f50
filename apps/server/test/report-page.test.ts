/**
 * The report page in real Chromium against the real server (PGlite in a temp folder) serving the built
 * web app (`node scripts/build.mjs` first; `npm test` does it). Two scripted students, a marker, the
 * session ends; the page lists a row per student, the timeline, the marker, the download links, and
 * hides the links when printed. Screenshot: test-output/screenshots/report.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { JoinResponse } from '@smartsession/protocol';
import { startServer, type RunningServer } from '../src/index.js';
import { launchChromium } from '../../../test/support/browser.js';
import { browserAvailable } from '../../../test/support/env.js';
import { Http } from './support/client.js';
import { ScriptedStudent } from './sigkill-support.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const webDist = join(root, 'apps/web/dist');

describe.skipIf(!browserAvailable())('report page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let dataDir: string;
  const students: ScriptedStudent[] = [];

  beforeAll(async () => {
    if (!existsSync(join(webDist, 'index.html')))
      throw new Error('apps/web/dist is missing: run `node scripts/build.mjs`');
    dataDir = mkdtempSync(join(tmpdir(), 'ss-report-page-'));
    server = await startServer({ port: 0, dataDir, webDist, logLevel: 'warn' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const s of students) s.close();
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a row per student, the timeline with markers, downloads, and prints without the links', async () => {
    const teacher = new Http(server.url);
    await teacher.post('/api/auth/signup', { email: 'r@example.test', password: 'secret-pass', name: 'R' });
    const session = (
      await teacher.post<{ id: string; joinCode: string }>('/api/sessions', { title: 'Fractions 5B' })
    ).body;
    for (const name of ['Ada', 'Grace']) {
      const join = (
        await new Http(server.url).post<JoinResponse>('/api/join', { code: session.joinCode, name })
      ).body;
      const s = new ScriptedStudent(server.url, join.token);
      students.push(s);
      s.start(100);
    }
    await new Promise((r) => setTimeout(r, 800));
    expect(
      (await teacher.post(`/api/sessions/${session.id}/markers`, { label: 'started fractions' })).status,
    ).toBe(201);
    await new Promise((r) => setTimeout(r, 800));
    for (const s of students) s.stop();
    await Promise.all(students.map((s) => s.drained()));
    await teacher.post(`/api/sessions/${session.id}/end`);

    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const value = teacher.cookie!.slice('ss_session='.length);
    await context.addCookies([{ name: 'ss_session', value, url: server.url }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/teacher/sessions/${session.id}/report`);
    await page.waitForSelector('[data-testid="report-student-row"]');
    const rows = page.getByTestId('report-student-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual([
      'Ada',
      'Grace',
    ]);
    await page.waitForSelector('[data-testid="report-timeline"] canvas');
    expect(await page.getByTestId('report-marker').textContent()).toContain('started fractions');
    const links = await page
      .locator('.report-downloads a')
      .evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    // CSV links carry the browser's time zone, so the tables have local times beside UTC (issue 11).
    const tz = encodeURIComponent(
      await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone),
    );
    expect(links).toEqual([
      `/api/sessions/${session.id}/report`,
      `/api/sessions/${session.id}/report.csv?tz=${tz}`,
      `/api/sessions/${session.id}/report.csv?table=alerts&tz=${tz}`,
      `/api/sessions/${session.id}/report.csv?table=timeline&tz=${tz}`,
    ]);
    // The links work with the page's own cookie.
    const csv = await page.evaluate((href) => fetch(href!).then((r) => r.text()), links[1]);
    expect(csv.split('\r\n')[0]).toMatch(/^participant_id,number,name,/);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.report-downloads').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    mkdirSync(join(root, 'test-output/screenshots'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-output/screenshots/report.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
