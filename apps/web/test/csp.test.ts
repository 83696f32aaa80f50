/**
 * Issue 12: the student page and the teacher dashboard under the server's Content-Security-Policy, in
 * real Chromium with the fake camera (real face photos), against the real server: the camera opens,
 * the analysis worker compiles WebAssembly and analyses frames, the dashboard shows the student live,
 * and not one CSP violation is reported (events and console, pages and worker). A deliberate inline
 * script at the end proves the watch would have seen one.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer } from '@smartsession/server';
import { fakeCameraFlags, launchChromium } from '../../../test/support/browser.js';
import { browserAvailable } from '../../../test/support/env.js';
import { writeWebcamScript } from './studentFixtures.js';
import { liveClass, type LiveClassResult } from './support/liveClass.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const webDist = join(root, 'apps/web/dist');

describe.skipIf(!browserAvailable())('pages under the Content-Security-Policy', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let dir: string;
  let run: LiveClassResult | null = null;

  beforeAll(async () => {
    if (!existsSync(join(webDist, 'index.html')))
      throw new Error('apps/web/dist is missing: run `node scripts/build.mjs`');
    dir = mkdtempSync(join(tmpdir(), 'ss-csp-'));
    const web = join(dir, 'web');
    cpSync(webDist, web, { recursive: true });
    const y4m = join(dir, 'webcam.y4m');
    await writeWebcamScript(y4m, [['facing', 30]]);
    server = await startServer({ port: 0, dataDir: join(dir, 'data'), webDist: web, logLevel: 'warn' });
    browser = await launchChromium(fakeCameraFlags(y4m));
  });

  afterAll(async () => {
    for (const c of run?.contexts ?? []) await c.close();
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('camera, worker, wasm and live updates work with the CSP on; zero violations', async () => {
    const csp = (await fetch(`${server.url}/join/ABCD-EFGH`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    run = await liveClass({ browser, teacherBase: server.url, studentBase: server.url });
    console.log(
      `[csp] dashboard showed the student focused ${run.seenAfterMs} ms after consent (${run.backend})`,
    );
    expect(run.backend).toBe('wasm');
    // The worker keeps analysing: the dashboard's tile stays live (samples keep arriving).
    await expect
      .poll(() => run!.student.getByTestId('student-stats').getAttribute('data-acked'), { timeout: 20_000 })
      .not.toBe('0');
    const violations = [...(await run.teacherCsp.violations()), ...(await run.studentCsp.violations())];
    expect(violations).toEqual([]);

    // The watch works: an inline script is refused and reported.
    await run.teacher.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
    });
    await expect.poll(async () => (await run!.teacherCsp.violations()).length).toBeGreaterThan(0);
    expect((await run.teacherCsp.violations()).join('\n')).toMatch(/script-src/);
    expect(
      await run.teacher.evaluate(() => (window as unknown as { __inline?: number }).__inline),
    ).toBeUndefined();
    // Framing is refused: the dashboard does not render inside another page.
    const frame = await run.teacher.context().newPage();
    await frame.setContent(`<iframe id="f" src="${server.url}/teacher"></iframe>`);
    await frame.waitForTimeout(1000);
    const framed = frame.frames().find((f) => f !== frame.mainFrame());
    expect(await framed?.evaluate(() => document.body?.innerHTML ?? '').catch(() => '')).not.toContain(
      'Your sessions',
    );
  });
});
