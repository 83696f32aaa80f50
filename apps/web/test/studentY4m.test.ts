import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rgbToI420, writeY4m, y4mHeader, type RgbFrame } from '../../../test/support/y4m.js';
import { CAM, cropFrame, CROPS } from './studentFixtures.js';

const solid = (w: number, h: number, rgb: [number, number, number]): RgbFrame => {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(rgb, i * 3);
  return { width: w, height: h, data };
};

describe('Y4M writer (fake webcam)', () => {
  it('converts RGB to studio-range BT.601 I420', () => {
    const white = rgbToI420(solid(4, 2, [255, 255, 255]));
    expect(white.length).toBe(4 * 2 + 2 * 2);
    expect([...white.subarray(0, 8)]).toEqual(Array(8).fill(235));
    expect([...white.subarray(8)]).toEqual([128, 128, 128, 128]);
    const red = rgbToI420(solid(2, 2, [255, 0, 0]));
    expect(red[0]).toBe(81);
    expect(red[4]).toBe(90); // Cb
    expect(red[5]).toBe(240); // Cr
  });

  it('refuses odd sizes and short buffers with a clear error', () => {
    expect(() => rgbToI420(solid(3, 2, [0, 0, 0]))).toThrow(/even/);
    expect(() => rgbToI420({ width: 2, height: 2, data: new Uint8Array(5) })).toThrow(/needs 12 bytes/);
  });

  it('writes header and FRAME records for each segment at the frame rate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-y4m-'));
    try {
      const path = join(dir, 'cam.y4m');
      const n = await writeY4m(
        path,
        [
          { label: 'a', frame: solid(4, 2, [0, 0, 0]), seconds: 1 },
          { label: 'b', frame: solid(4, 2, [255, 255, 255]), seconds: 0.5 },
        ],
        4,
      );
      expect(n).toBe(6);
      const buf = readFileSync(path);
      const header = y4mHeader(4, 2, 4);
      expect(buf.subarray(0, header.length).toString()).toBe('YUV4MPEG2 W4 H2 F4:1 Ip A1:1 C420jpeg\n');
      expect(buf.length).toBe(header.length + 6 * ('FRAME\n'.length + 12));
      const last = buf.subarray(buf.length - 12);
      expect(last[0]).toBe(235);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('crops the real face photos to webcam-sized frames', async () => {
    const f = await cropFrame(CROPS.facing);
    expect(f.width).toBe(CAM.width);
    expect(f.height).toBe(CAM.height);
    expect(f.data.length).toBe(CAM.width * CAM.height * 3);
  });
});
