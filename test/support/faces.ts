/**
 * Real face frames for tests, derived at test time from the group photos that ship with
 * `@vladmandic/face-api` (node_modules/@vladmandic/face-api/demo/sample1.jpg … sample6.jpg) with sharp.
 *
 * What the photos hold (Human 3.3.6 detections, boxes in original pixels; yaw in the engine's convention,
 * > 0 = turned to the person's own left):
 * - sample1 (1920x1280): 3 faces; sample3: 3; sample4: 4; sample5: 5; sample6: 4; sample2: 3 (one weak).
 * - the single student face is sample5's bottom-left woman (box 279,847,370,371; yaw ≈ +3°, neutral);
 * - "head turned away" is sample4's left woman (box 176,185,302,302): yaw ≈ +25°, i.e. `gaze` LEFT with the
 *   default 20° threshold (RIGHT when mirrored). No photo shows the back of a head or a full profile;
 *   this is the most turned face that is still a face.
 * - the two-face crop is from sample1 (two left faces), three-plus is the whole of sample5, the empty
 *   crop is sample1's top-left wall and curtain.
 * Frames come back as raw RGB (what `createNodeEngine().analyze` and a fake-webcam writer need).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';

/** Raw RGB pixels, row-major. */
export interface RgbFrame {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

/** Output size (pixels); default 640x480. */
export interface FrameSize {
  width: number;
  height: number;
}

/** Derivations applied to a frame. */
export interface FrameOptions {
  /** Flip left-right (a mirrored selfie view). */
  mirror?: boolean;
  /** Shrink the picture to this fraction (0..1) and centre it on grey, so the face is smaller in a same-size frame. */
  scale?: number;
  /** Multiply every pixel by this factor (0.35 = 35% brightness). */
  brightness?: number;
}

const require = createRequire(import.meta.url);

/** Folder of the face-api demo photos. */
const SAMPLE_DIR = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');

/** Path of `sampleN.jpg` (1..6). */
export function samplePath(n: 1 | 2 | 3 | 4 | 5 | 6): string {
  return path.join(SAMPLE_DIR, `sample${n}.jpg`);
}

interface Region {
  sample: 1 | 2 | 3 | 4 | 5 | 6;
  /** Crop in original pixels (4:3), or null for the whole photo. */
  crop: { left: number; top: number; width: number; height: number } | null;
}

/** Regions holding exactly 0, 1, 2 and 3+ faces (3 = the five faces of sample5). */
export const FACE_REGIONS: Record<0 | 1 | 2 | 3, Region> = {
  0: { sample: 1, crop: { left: 0, top: 0, width: 480, height: 360 } },
  1: { sample: 5, crop: { left: 0, top: 698, width: 933, height: 700 } },
  2: { sample: 1, crop: { left: 250, top: 150, width: 940, height: 705 } },
  3: { sample: 5, crop: null },
};

/** The most turned-away face in the photos (see the file comment). */
const TURNED_REGION: Region = { sample: 4, crop: { left: 20, top: 111, width: 600, height: 450 } };

/** Renders a region at `size` with the derivations, as raw RGB. */
export async function renderRegion(
  region: Region,
  size: FrameSize = { width: 640, height: 480 },
  opts: FrameOptions = {},
): Promise<RgbFrame> {
  let img = sharp(samplePath(region.sample));
  if (region.crop) img = img.extract(region.crop);
  const scale = opts.scale ?? 1;
  const inner = {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
  img = img.resize(inner.width, inner.height, { fit: 'cover' });
  if (opts.mirror) img = img.flop();
  if (opts.brightness !== undefined) img = img.linear(opts.brightness, 0);
  let buf = await img.removeAlpha().raw().toBuffer();
  if (scale !== 1) {
    const left = Math.floor((size.width - inner.width) / 2);
    const top = Math.floor((size.height - inner.height) / 2);
    buf = await sharp(buf, { raw: { ...inner, channels: 3 } })
      .extend({
        left,
        top,
        right: size.width - inner.width - left,
        bottom: size.height - inner.height - top,
        background: { r: 128, g: 128, b: 128 },
      })
      .raw()
      .toBuffer();
  }
  return {
    data: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength),
    width: size.width,
    height: size.height,
    channels: 3,
  };
}

/** A frame with exactly `n` faces (3 = three or more), 640x480 unless `size` says otherwise. */
export function faceCrop(n: 0 | 1 | 2 | 3, size?: FrameSize, opts?: FrameOptions): Promise<RgbFrame> {
  return renderRegion(FACE_REGIONS[n], size, opts);
}

/** A frame whose one face is turned about 25° to the person's own left (gaze LEFT; RIGHT when mirrored). */
export function turnedAwayFrame(size?: FrameSize, opts?: FrameOptions): Promise<RgbFrame> {
  return renderRegion(TURNED_REGION, size, opts);
}

/** Encodes a raw frame as PNG (for files the CLI reads, or a fake-webcam writer). */
export async function toPng(frame: RgbFrame): Promise<Buffer> {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A face in one of the sample photos: its detector box `[x, y, side]` in original pixels. */
export interface SampleFace {
  sample: 1 | 2 | 3 | 4 | 5 | 6;
  box: [number, number, number];
}

/**
 * One face of a group photo alone in a 4:3 frame (`size`, default 640x480): the face box two thirds of
 * the frame height, everything further than 0.8 face boxes from the face's centre painted grey, so a
 * neighbour's face at the edge does not make it a two-person frame.
 */
export async function singleFaceFrame(
  face: SampleFace,
  size: FrameSize = { width: 640, height: 480 },
): Promise<RgbFrame> {
  const [x, y, side] = face.box;
  const meta = await sharp(samplePath(face.sample)).metadata();
  const h = side * 1.5;
  const w = (h * size.width) / size.height;
  const left = Math.max(0, Math.round(x + side / 2 - w / 2));
  const top = Math.max(0, Math.round(y + side / 2 - h / 2));
  const width = Math.min(Math.round(w), (meta.width ?? 0) - left);
  const height = Math.min(Math.round(h), (meta.height ?? 0) - top);
  const frame = await renderRegion({ sample: face.sample, crop: { left, top, width, height } }, size);
  const k = size.height / height;
  const cx = (x + side / 2 - left) * k;
  const cy = (y + side / 2 - top) * k;
  const r2 = (0.8 * side * k) ** 2;
  for (let py = 0; py < frame.height; py++) {
    for (let px = 0; px < frame.width; px++) {
      if ((px - cx) ** 2 + (py - cy) ** 2 > r2)
        frame.data.fill(128, (py * frame.width + px) * 3, (py * frame.width + px) * 3 + 3);
    }
  }
  return frame;
}

/** The neutral face of sample5 (top middle woman): relaxed brows, lips closed (eval: `face/s5-top`). */
export const NEUTRAL_FACE: SampleFace = { sample: 5, box: [727, 93, 272] };
