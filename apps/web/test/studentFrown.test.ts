/**
 * Issue 10, end to end: a student's held frown turns the teacher's tile yellow, and only the frown.
 *
 * Real headless Chromium, real server (port 0, PGlite in a temp folder) serving the built web app, the
 * student page with a fake webcam, and the teacher's dashboard page in the same browser. The camera
 * shows one real face (sample5's neutral woman from @vladmandic/face-api's demo photos, alone in the
 * frame) relaxed, then frowning for 15 s, then relaxed again, looping.
 *
 * How the frowning frame is made (no real relaxed/frowning photo pair of one face is available here):
 * the relaxed frame is analysed by the Node engine, and test/support/frown.ts warps its pixels along that
 * mesh: both inner brows 30% of their height above the inner eye corners lower and 15% of half their gap
 * closer together, with a smooth fall-off that leaves the eyes in place. It is synthetic and says so.
 *
 * The page calibrates by itself when it starts, at an unknown point of the looping file; the test then
 * presses "Calibrate again" at a moment the file is known to show the relaxed face (from the time the
 * camera started), so the baseline is the relaxed face whatever the machine's load. Then it waits for
 * the tile to go focused → confused (with a reason naming the brows) → focused, and checks that no
 * proctor alert was raised. Once with emotion inference on, once with `emotion: off`, side by side.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect as globalExpect, it, type ExpectStatic } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer } from '@smartsession/server';
import { createNodeEngine } from '@smartsession/engine/node';
import { fakeCameraFlags, launchChromium } from '../../../test/support/browser.js';
import { browserAvailable } from '../../../test/support/env.js';
import { NEUTRAL_FACE, singleFaceFrame } from '../../../test/support/faces.js';
import { frownWarp } from '../../../test/support/frown.js';
import { writeY4m } from '../../../test/support/y4m.js';
import { CAM, TeacherWatch } from './studentFixtures.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const webDist = join(root, 'apps/web/dist');
/** The fake camera's script, seconds: relaxed, frowning, relaxed (then it loops). */
const RELAXED_1 = 14;
const FROWN = 15;
const RELAXED_2 = 16;
const LOOP_S = RELAXED_1 + FROWN + RELAXED_2;
const tile = (name: string) => `[data-testid="student-tile"][data-name="${name}"]`;

interface TileState {
  at: number;
  status: string | null;
  alert: string | null;
  reason: string;
  /** Seconds into the camera's file at that moment. */
  pos: number;
}

describe.skipIf(!browserAvailable())(
  'a held frown on the student camera turns the teacher’s tile yellow',
  () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    let browser: Browser;
    let dir: string;

    beforeAll(async () => {
      if (!existsSync(join(webDist, 'index.html')))
        throw new Error('apps/web/dist is missing: run `node scripts/build.mjs`');
      dir = mkdtempSync(join(tmpdir(), 'ss-frown-'));
      const web = join(dir, 'web');
      cpSync(webDist, web, { recursive: true });
      const relaxed = await singleFaceFrame(NEUTRAL_FACE, CAM);
      // The relaxed face's mesh from the Node engine, for the warp.
      const engine = await createNodeEngine({ video: false, emotion: 'off' });
      let mesh: number[][] = [];
      try {
        const r = await engine.analyze(relaxed);
        globalExpect(r.frame.face_count).toBe(1);
        const m = r.overlay.mesh ?? [];
        for (let i = 0; i < m.length; i += 2)
          mesh.push([(m[i] ?? 0) * CAM.width, (m[i + 1] ?? 0) * CAM.height]);
      } finally {
        engine.dispose();
      }
      const frown = frownWarp(relaxed, mesh, { lower: 0.3, knit: 0.15 });
      mesh = [];
      const y4m = join(dir, 'webcam.y4m');
      await writeY4m(
        y4m,
        [
          { label: 'relaxed', frame: relaxed, seconds: RELAXED_1 },
          { label: 'frown', frame: frown, seconds: FROWN },
          { label: 'relaxed', frame: relaxed, seconds: RELAXED_2 },
        ],
        5,
      );
      server = await startServer({ port: 0, dataDir: join(dir, 'data'), webDist: web, logLevel: 'warn' });
      browser = await launchChromium(fakeCameraFlags(y4m));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Seconds into the looping file the camera shows now (from when the page says the camera started). */
    async function filePosition(page: Page): Promise<number> {
      const started = Number(await page.getByTestId('student-stats').getAttribute('data-camera-started'));
      return ((((Date.now() - started) / 1000) % LOOP_S) + LOOP_S) % LOOP_S;
    }

    async function run(emotion: 'on' | 'off', expect: ExpectStatic): Promise<void> {
      const teacher = await TeacherWatch.open(server.url, 'support', emotion);
      const name = emotion === 'on' ? 'Ada' : 'Bo';
      const studentCtx = await browser.newContext();
      const teacherCtx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      try {
        // The teacher's dashboard, signed in with the teacher's cookie.
        const [cookieName, cookieValue] = teacher.http.cookie.split('=') as [string, string];
        await teacherCtx.addCookies([{ name: cookieName, value: cookieValue, url: server.url }]);
        const dash = await teacherCtx.newPage();
        await dash.goto(`${server.url}/teacher/sessions/${teacher.sessionId}`);

        const page = await studentCtx.newPage();
        page.on('pageerror', (e) => console.error('[page error]', e));
        await page.goto(`${server.url}/join/${teacher.joinCode}`);
        await page.getByTestId('join-name').fill(name);
        await page.getByTestId('join-submit').click();
        await page.getByTestId('consent-accept').click();
        await page.waitForFunction(
          () =>
            Number(document.querySelector('[data-testid="student-stats"]')?.getAttribute('data-analysed')) >
            3,
          null,
          { timeout: 120_000 },
        );
        await dash.waitForSelector(tile(name), { timeout: 30_000 });

        // Calibrate again while the file shows the relaxed face with at least 8 s of it left: the relaxed
        // stretch runs from the end of the frown round the loop to the next frown ([29 s, 59 s) here).
        const relaxedLeft = (pos: number) =>
          pos < RELAXED_1 ? RELAXED_1 - pos : pos >= RELAXED_1 + FROWN ? LOOP_S - pos + RELAXED_1 : 0;
        for (;;) {
          const pos = await filePosition(page);
          const inRelaxed = pos < RELAXED_1 ? pos > 1 : pos > RELAXED_1 + FROWN + 1;
          if (inRelaxed && relaxedLeft(pos) >= 8) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        await page.getByTestId('student-recalibrate').click();
        const calibratedAt = Date.now();
        await expect
          .poll(() => page.getByTestId('student-status').getAttribute('data-status'), { timeout: 20_000 })
          .not.toBe('calibrating');
        const pos = await filePosition(page);
        // Still the relaxed face when the calibration ended: the baseline is the relaxed face.
        expect(
          pos < RELAXED_1 || pos >= RELAXED_1 + FROWN,
          `calibration ended at ${pos.toFixed(1)} s of the file`,
        ).toBe(true);

        // Record the tile from here on until it has gone focused → confused → focused.
        const states: TileState[] = [];
        const read = async (): Promise<TileState> => {
          const t = dash.locator(tile(name));
          return {
            at: Date.now(),
            pos: await filePosition(page),
            status: await t.getAttribute('data-status'),
            alert: await t.getAttribute('data-alert'),
            reason: (
              (await t
                .getByTestId('tile-reason')
                .textContent()
                .catch(() => '')) ?? ''
            ).trim(),
          };
        };
        const seen = (status: string, after = 0) => states.find((s) => s.status === status && s.at > after);
        const deadline = Date.now() + (LOOP_S + FROWN + 30) * 1000;
        for (;;) {
          const s = await read();
          const last = states[states.length - 1];
          if (
            !last ||
            last.status !== s.status ||
            last.alert !== s.alert ||
            last.reason.split(' ')[0] !== s.reason.split(' ')[0]
          )
            states.push(s);
          const confused = seen('confused');
          if (confused && seen('focused', confused.at)) break;
          if (Date.now() > deadline) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        const path = states.map(
          (s) =>
            `${s.status}${s.alert ? ':' + s.alert : ''}${s.reason ? ` (${s.reason})` : ''}@${((s.at - calibratedAt) / 1000).toFixed(1)}s`,
        );
        console.log(`[frown, emotion ${emotion}] teacher's tile: ${path.join(' → ')}`);
        const confused = seen('confused');
        expect(confused, `tile never confused: ${path.join(' → ')}`).toBeDefined();
        // About how long after the frown appeared the tile turned (from the page's camera start time, which
        // is late by however long the camera took to open: informative, not asserted).
        const frownS = (((confused!.pos - RELAXED_1) % LOOP_S) + LOOP_S) % LOOP_S;
        console.log(
          `[frown, emotion ${emotion}] tile turned confused about ${frownS.toFixed(1)} s into the frown`,
        );
        expect(seen('focused'), 'focused before the frown').toBeDefined();
        expect(seen('focused')!.at).toBeLessThan(confused!.at);
        expect(
          seen('focused', confused!.at),
          `tile never back to focused: ${path.join(' → ')}`,
        ).toBeDefined();
        // An observable reason on the tile, naming the brows.
        expect(
          states
            .filter((s) => s.status === 'confused')
            .map((s) => s.reason)
            .join(' | '),
        ).toMatch(/brows lowered/i);
        // No proctor alert at any time, on the tile or on the teacher's socket.
        expect(states.filter((s) => s.status === 'alert' || s.alert)).toEqual([]);
        expect((teacher.seen.get(name) ?? []).filter((s) => s.status === 'alert')).toEqual([]);
        // Emotion off: nothing emotion-shaped on the wire for this student (the page's own view shows it).
        if (emotion === 'off') {
          const json = await page.evaluate(() => document.body.innerText);
          expect(json).not.toMatch(/Happy \/ Engaged|Focused \/ Neutral/);
        }
      } finally {
        teacher.close();
        await studentCtx.close();
        await teacherCtx.close();
      }
    }

    // The two sessions run side by side (each its own student page, camera and dashboard) to keep the
    // file's wall time down; every wait is for a state, with generous limits, so a busy machine only
    // slows them.
    it.concurrent(
      '[issue 10] emotion on: focused → confused (brows lowered) → focused, no proctor alert',
      ({ expect }) => run('on', expect),
      300_000,
    );

    it.concurrent(
      '[issue 10] emotion off: the same from observable cues alone',
      ({ expect }) => run('off', expect),
      300_000,
    );
  },
);
