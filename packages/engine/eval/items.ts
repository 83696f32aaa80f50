/**
 * The labelled evaluation set of `npm run eval:signals` (see README.md beside this file for what each
 * item is and why it carries its label). Real photos and their variants are built here with sharp; the
 * synthetic frowns are made by the runner, because they need the face's mesh.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import {
  FACE_REGIONS,
  renderRegion,
  samplePath,
  singleFaceFrame,
  type RgbFrame,
} from '../../../test/support/faces.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The shared development set (../shared/devset beside the repository), or DEVSET_DIR. */
function devsetDir(): string {
  const dir = process.env.DEVSET_DIR ?? path.resolve(here, '../../../../shared/devset');
  if (!existsSync(path.join(dir, 'labels.json')))
    throw new Error(`the development set is not at ${dir} (set DEVSET_DIR to its folder)`);
  return dir;
}

/** One real picture with its labels. */
export interface Item {
  id: string;
  /** Where it comes from, in words. */
  source: string;
  frame: RgbFrame;
  /** Faces in the picture, or null when not labelled (crops from group photos may show a neighbour's edge). */
  faces: number | null;
  /** Brows visibly lowered (AU4); null = unclear or not a single face. */
  browLowered: boolean | null;
  /** Visibly smiling; null = not labelled. */
  smile: boolean | null;
}

/** The derived variants every real item is also analysed as. */
export type Variant = 'orig' | 'mirror' | 'scale40' | 'dark35';
export const VARIANTS: readonly Variant[] = ['orig', 'mirror', 'scale40', 'dark35'];

async function raw(img: Sharp): Promise<RgbFrame> {
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
}

const fromRaw = (f: RgbFrame): Sharp =>
  sharp(f.data, { raw: { width: f.width, height: f.height, channels: 3 } });

/** A variant of a frame, the same size: mirrored, shrunk to 40% on grey, or at 35% brightness. */
export async function variant(f: RgbFrame, v: Variant): Promise<RgbFrame> {
  if (v === 'orig') return f;
  if (v === 'mirror') return raw(fromRaw(f).flop());
  if (v === 'dark35') return raw(fromRaw(f).linear(0.35, 0));
  const w = Math.max(1, Math.round(f.width * 0.4));
  const h = Math.max(1, Math.round(f.height * 0.4));
  const left = Math.floor((f.width - w) / 2);
  const top = Math.floor((f.height - h) / 2);
  return raw(
    fromRaw(await raw(fromRaw(f).resize(w, h))).extend({
      left,
      top,
      right: f.width - w - left,
      bottom: f.height - h - top,
      background: { r: 128, g: 128, b: 128 },
    }),
  );
}

interface DevsetLabels {
  items: { file: string; faces: number; brow_lowered: boolean | null; puzzled: boolean | null }[];
}

interface SampleFaces {
  items: {
    id: string;
    sample: 1 | 2 | 3 | 4 | 5 | 6;
    box: [number, number, number];
    brow_lowered: boolean;
    smile: boolean;
    why: string;
  }[];
}

/** Every real item: the devset photos, the sample-photo faces, the whole group photos, the test crops. */
export async function realItems(): Promise<Item[]> {
  const items: Item[] = [];
  const dev = devsetDir();
  const labels = JSON.parse(readFileSync(path.join(dev, 'labels.json'), 'utf8')) as DevsetLabels;
  for (const l of labels.items) {
    items.push({
      id: `devset/${path.basename(l.file, '.jpg')}`,
      source: `shared devset ${l.file}`,
      frame: await raw(sharp(path.join(dev, l.file))),
      faces: l.faces,
      browLowered: l.brow_lowered,
      smile: l.file.includes('happy'),
    });
  }
  const faces = JSON.parse(readFileSync(path.join(here, 'sample-faces.json'), 'utf8')) as SampleFaces;
  for (const f of faces.items) {
    items.push({
      id: `face/${f.id}`,
      source: `sample${f.sample}.jpg face at ${f.box.join(',')}: ${f.why}`,
      frame: await singleFaceFrame({ sample: f.sample, box: f.box }),
      faces: null,
      browLowered: f.brow_lowered,
      smile: f.smile,
    });
  }
  const groups: [1 | 2 | 3 | 4 | 5 | 6, number][] = [
    [1, 3],
    [2, 3],
    [3, 3],
    [4, 4],
    [5, 5],
    [6, 4],
  ];
  for (const [n, count] of groups) {
    items.push({
      id: `group/sample${n}`,
      source: `whole sample${n}.jpg (${count} people)`,
      frame: await raw(sharp(samplePath(n))),
      faces: count,
      browLowered: null,
      smile: null,
    });
  }
  for (const n of [0, 1, 2, 3] as const) {
    items.push({
      id: `crop/${n === 3 ? '5' : n}-faces`,
      source: `the engine tests' ${n === 3 ? 'five' : n}-face frame (test/support/faces.ts)`,
      frame: await renderRegion(FACE_REGIONS[n]),
      faces: n === 3 ? 5 : n,
      browLowered: null,
      smile: null,
    });
  }
  return items;
}
