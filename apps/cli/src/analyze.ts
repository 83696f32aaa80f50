/**
 * `smartsession analyze PATH…`: analyses image files, folders of images and video files (decoded with
 * ffmpeg when installed) and prints one JSON object per line (contract.md "Per-frame JSON").
 * A file it cannot read gives a message on stderr and an `{"file":…,"error":…}` line; the exit code is 0.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createNodeEngine, type NodeEngine, type RawImage } from '@smartsession/engine/node';
import type { FrameResult } from '@smartsession/protocol';
import sharp from 'sharp';

const USAGE = `Usage: smartsession analyze [options] PATH…

Analyses images, folders of images (recursively) and video files; prints one JSON object per line.

Options:
  --emotion on|off   emotion inference (default on); off: emotion fields are null
  --fps N            frames per second taken from videos (default 5)
  -h, --help         this help
`;

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.bmp']);
const VIDEO_EXT = new Set(['.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi', '.mpg', '.mpeg', '.y4m']);

/** Where the command writes (injectable for tests). */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const processIo: Io = {
  out: (line) => process.stdout.write(line),
  err: (line) => process.stderr.write(line),
};

/** Parsed command line. */
export interface AnalyzeArgs {
  paths: string[];
  emotion: 'on' | 'off';
  fps: number;
  help: boolean;
}

/** Parses the arguments; throws a message for bad options. */
export function parseArgs(argv: string[]): AnalyzeArgs {
  const args: AnalyzeArgs = { paths: [], emotion: 'on', fps: 5, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '-h' || flag === '--help') args.help = true;
    else if (flag === '--emotion') {
      const v = value();
      if (v !== 'on' && v !== 'off') throw new Error(`--emotion must be on or off, not "${v}"`);
      args.emotion = v;
    } else if (flag === '--fps') {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0 || v > 60) throw new Error('--fps must be a number in (0, 60]');
      args.fps = v;
    } else if (flag === '--') {
      args.paths.push(...argv.slice(i + 1));
      break;
    } else if (flag.startsWith('-') && flag.length > 1) throw new Error(`unknown option ${flag}`);
    else args.paths.push(a);
  }
  return args;
}

type Item = { file: string; kind: 'image' | 'video' } | { file: string; kind: 'error'; error: string };

/** Expands the paths: files as given, folders recursively (images and videos, sorted by name). */
export async function collect(paths: string[]): Promise<Item[]> {
  const items: Item[] = [];
  const visit = async (p: string, explicit: boolean): Promise<void> => {
    let s;
    try {
      s = await stat(p);
    } catch (e) {
      items.push({
        file: p,
        kind: 'error',
        error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((e as Error).message),
      });
      return;
    }
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter((n) => !n.startsWith('.')).sort();
      for (const n of names) await visit(path.join(p, n), false);
      return;
    }
    const ext = path.extname(p).toLowerCase();
    if (VIDEO_EXT.has(ext)) items.push({ file: p, kind: 'video' });
    else if (IMAGE_EXT.has(ext) || explicit) items.push({ file: p, kind: 'image' });
  };
  for (const p of paths) await visit(p, true);
  return items;
}

/** True when an `ffmpeg` binary runs. */
export function hasFfmpeg(): boolean {
  const r = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  return r.status === 0;
}

async function readImage(file: string): Promise<RawImage> {
  try {
    const { data, info } = await sharp(file)
      .rotate()
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: 3,
    };
  } catch (e) {
    throw new Error(`cannot read image: ${(e as Error).message}`);
  }
}

function probeSize(file: string): { width: number; height: number } {
  const r = spawnSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height',
      '-of',
      'csv=p=0:s=x',
      file,
    ],
    {
      encoding: 'utf8',
    },
  );
  const m = /^(\d+)x(\d+)/.exec(r.stdout ?? '');
  if (r.status !== 0 || !m)
    throw new Error(`cannot read video: ${(r.stderr || 'no video stream').trim().split('\n')[0]}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Decodes a video with ffmpeg at `fps`, at most 640 px wide, yielding raw RGB frames in order. */
async function* videoFrames(file: string, fps: number): AsyncGenerator<RawImage> {
  const src = probeSize(file);
  const width = Math.min(640, src.width - (src.width % 2));
  const height = Math.max(2, Math.round((src.height * width) / src.width / 2) * 2);
  const ff = spawn(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      file,
      '-vf',
      `fps=${fps},scale=${width}:${height}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  ff.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => ff.on('close', resolve));
  const size = width * height * 3;
  let pending: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of ff.stdout as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= size) {
        const frame = Uint8Array.prototype.slice.call(pending, 0, size);
        pending = pending.subarray(size);
        yield { data: frame, width, height, channels: 3 };
      }
    }
  } finally {
    if (ff.exitCode === null) ff.kill();
  }
  const code = await exited;
  if (code !== 0 && code !== null) throw new Error(`ffmpeg failed: ${stderr.trim().split('\n')[0] ?? code}`);
}

function line(file: string, frame: FrameResult, t?: number): string {
  return `${JSON.stringify(t === undefined ? { file, ...frame } : { file, t, ...frame })}\n`;
}

/** Runs the command; resolves to the exit code (0 even when some files fail). */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  let args: AnalyzeArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.err(`smartsession analyze: ${(e as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  if (args.paths.length === 0) {
    io.err(USAGE);
    return 1;
  }
  const items = await collect(args.paths);
  const engines: Partial<Record<'image' | 'video', NodeEngine>> = {};
  const engine = async (kind: 'image' | 'video'): Promise<NodeEngine> =>
    (engines[kind] ??= await createNodeEngine({ emotion: args.emotion, video: kind === 'video' }));
  const fail = (file: string, error: string): void => {
    io.err(`smartsession analyze: ${file}: ${error}\n`);
    io.out(`${JSON.stringify({ file, error })}\n`);
  };
  let ffmpeg: boolean | undefined;
  try {
    for (const item of items) {
      if (item.kind === 'error') {
        fail(item.file, item.error);
        continue;
      }
      try {
        if (item.kind === 'image') {
          const img = await readImage(item.file);
          io.out(line(item.file, (await (await engine('image')).analyze(img)).frame));
          continue;
        }
        ffmpeg ??= hasFfmpeg();
        if (!ffmpeg) {
          fail(
            item.file,
            'ffmpeg is not installed; install it (e.g. apt-get install ffmpeg) to analyse videos',
          );
          continue;
        }
        const eng = await engine('video');
        let i = 0;
        for await (const frame of videoFrames(item.file, args.fps)) {
          const t = Math.round((i++ * 1000) / args.fps);
          io.out(line(item.file, (await eng.analyze(frame, t)).frame, t));
        }
        if (i === 0) fail(item.file, 'no video frames decoded');
      } catch (e) {
        fail(item.file, (e as Error).message);
      }
    }
  } finally {
    for (const e of Object.values(engines)) e.dispose();
  }
  return 0;
}
