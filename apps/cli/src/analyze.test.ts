/**
 * `smartsession analyze` on real files: PNGs derived from the face-api sample photos, a broken file, a
 * missing path, and a short video made with ffmpeg (skipped with a line when ffmpeg is not installed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FrameResult } from '@smartsession/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceCrop, toPng } from '../../../test/support/faces.js';
import { hasFfmpeg, parseArgs, run } from './analyze.js';

let dir: string;
const ffmpeg = hasFfmpeg();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ss-analyze-'));
  await writeFile(path.join(dir, 'one.png'), await toPng(await faceCrop(1)));
  await writeFile(path.join(dir, 'two.png'), await toPng(await faceCrop(2)));
  await writeFile(path.join(dir, 'broken.jpg'), 'not an image');
  if (ffmpeg) {
    const r = spawnSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-loop',
      '1',
      '-i',
      path.join(dir, 'one.png'),
      '-t',
      '1',
      '-r',
      '10',
      '-pix_fmt',
      'yuv420p',
      path.join(dir, 'clip.mp4'),
    ]);
    if (r.status !== 0) throw new Error(`ffmpeg could not make the test clip: ${r.stderr.toString()}`);
  } else {
    console.warn('[skip] analyze video test: ffmpeg is not installed');
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function capture(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  const lines = out
    .join('')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, lines, err: err.join('') };
}

describe('smartsession analyze', () => {
  it('analyses a folder, a video and reports unreadable files without stopping (exit 0)', async () => {
    const missing = path.join(dir, 'missing.png');
    const { code, lines, err } = await capture([dir, missing, '--fps', '4']);
    expect(code).toBe(0);
    const byFile = (name: string) => lines.filter((l) => l.file === path.join(dir, name));
    expect(byFile('broken.jpg')).toEqual([
      { file: path.join(dir, 'broken.jpg'), error: expect.stringMatching(/cannot read image/) },
    ]);
    expect(lines.find((l) => l.file === missing)).toEqual({ file: missing, error: 'no such file' });
    expect(err).toMatch(/broken\.jpg: cannot read image/);
    expect(err).toMatch(/missing\.png: no such file/);
    const [one] = byFile('one.png');
    const [two] = byFile('two.png');
    expect(one).toMatchObject({ face_count: 1, status: 'OK' });
    expect(two).toMatchObject({ face_count: 2, status: 'MULTIPLE PEOPLE' });
    const { file: _f, ...frame } = one as Record<string, unknown>;
    expect(FrameResult.safeParse(frame).success).toBe(true);
    expect(Object.keys(one as object)[0]).toBe('file');
    if (ffmpeg) {
      const clip = byFile('clip.mp4');
      expect(clip.map((l) => l.t)).toEqual([0, 250, 500, 750]);
      for (const l of clip) expect(l.face_count).toBe(1);
    }
  });

  it.skipIf(!ffmpeg)('without ffmpeg on PATH a video gives a clear error line, exit 0', async () => {
    const path0 = process.env.PATH;
    process.env.PATH = dir; // a folder with no ffmpeg in it
    try {
      const clip = path.join(dir, 'clip.mp4');
      const { code, lines, err } = await capture([clip]);
      expect(code).toBe(0);
      expect(lines).toEqual([{ file: clip, error: expect.stringMatching(/ffmpeg is not installed/) }]);
      expect(err).toMatch(/clip\.mp4: ffmpeg is not installed/);
    } finally {
      process.env.PATH = path0;
    }
  });

  it('--emotion off: emotion fields are null', async () => {
    const { code, lines } = await capture(['--emotion', 'off', path.join(dir, 'one.png')]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      face_count: 1,
      emotion: null,
      happy_prob: null,
      signals: { happy: null },
      contributions: { happy: null },
    });
  });

  it('parses options and refuses bad ones', async () => {
    expect(parseArgs(['a.png', '--emotion=off', '--fps', '2'])).toEqual({
      paths: ['a.png'],
      emotion: 'off',
      fps: 2,
      help: false,
    });
    expect(parseArgs(['--', '--weird.png']).paths).toEqual(['--weird.png']);
    expect(() => parseArgs(['--emotion', 'maybe'])).toThrow(/on or off/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown option/);
    expect((await capture([])).code).toBe(1);
  });
});
