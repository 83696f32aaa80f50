/**
 * Y4M (YUV4MPEG2, `C420jpeg`) writer for Chromium's fake webcam
 * (`--use-file-for-fake-video-capture`, see {@link fakeCameraFlags} in ./browser.ts).
 *
 * Frames come in as packed RGB (3 bytes a pixel, row-major) and are converted to planar 4:2:0 with
 * BT.601 coefficients in studio range (Y 16..235, Cb/Cr 16..240), which is what Chromium assumes when it
 * turns the file's I420 frames back into video. Chroma is the mean of each 2x2 block (the centred
 * siting that `C420jpeg` names). Chromium loops the file when it reaches the end.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** One packed RGB frame: `data.length === width * height * 3`. Width and height must be even. */
export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A stretch of the fake camera's script: `frame` shown for `seconds`. */
export interface Y4mSegment {
  label: string;
  frame: RgbFrame;
  seconds: number;
}

/** The stream header line for `width`x`height` at `fps` frames per second. */
export function y4mHeader(width: number, height: number, fps: number): string {
  return `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`;
}

const clampByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Converts one RGB frame to a planar I420 buffer (Y plane, then Cb, then Cr). */
export function rgbToI420(frame: RgbFrame): Buffer {
  const { width: w, height: h, data } = frame;
  if (w % 2 !== 0 || h % 2 !== 0) throw new Error(`Y4M 4:2:0 needs even sizes, got ${w}x${h}`);
  if (data.length !== w * h * 3)
    throw new Error(`RGB frame of ${w}x${h} needs ${w * h * 3} bytes, got ${data.length}`);
  const ySize = w * h;
  const cSize = (w / 2) * (h / 2);
  const out = Buffer.alloc(ySize + 2 * cSize);
  for (let i = 0, p = 0; i < ySize; i++, p += 3) {
    out[i] = clampByte(16 + (65.481 * data[p]! + 128.553 * data[p + 1]! + 24.966 * data[p + 2]!) / 255);
  }
  for (let cy = 0; cy < h / 2; cy++) {
    for (let cx = 0; cx < w / 2; cx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const p = ((cy * 2 + dy) * w + cx * 2 + dx) * 3;
          r += data[p]!;
          g += data[p + 1]!;
          b += data[p + 2]!;
        }
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const c = cy * (w / 2) + cx;
      out[ySize + c] = clampByte(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      out[ySize + cSize + c] = clampByte(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  return out;
}

/**
 * Writes a Y4M file that plays `segments` one after another at `fps`. All frames must share one size.
 * Resolves to the number of frames written.
 */
export async function writeY4m(path: string, segments: Y4mSegment[], fps = 10): Promise<number> {
  if (segments.length === 0) throw new Error('writeY4m needs at least one segment');
  const { width, height } = segments[0]!.frame;
  const out = createWriteStream(path);
  out.write(y4mHeader(width, height, fps));
  let frames = 0;
  for (const seg of segments) {
    if (seg.frame.width !== width || seg.frame.height !== height) {
      throw new Error(
        `segment "${seg.label}" is ${seg.frame.width}x${seg.frame.height}, expected ${width}x${height}`,
      );
    }
    const planes = rgbToI420(seg.frame);
    const n = Math.round(seg.seconds * fps);
    for (let i = 0; i < n; i++) {
      out.write('FRAME\n');
      if (!out.write(planes)) await once(out, 'drain');
      frames++;
    }
  }
  out.end();
  await once(out, 'finish');
  return frames;
}
