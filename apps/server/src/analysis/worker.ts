/**
 * One analysis thread: decodes a JPEG frame in memory (sharp, already a dependency of the workspace) and
 * runs the Node engine on it. Engines are created on first use, one per emotion setting, so a thread that
 * only serves `emotion: off` classes never loads the emotion model. Video mode is off: frames of different
 * students follow each other here, so nothing may carry over from one frame to the next (no frame cache,
 * no smoothing); each job brings its student's baseline. Nothing is written anywhere.
 */
import { parentPort, threadId } from 'node:worker_threads';
import sharp from 'sharp';
import {
  createNodeEngine,
  type Baseline,
  type FaceMeasures,
  type NodeEngine,
} from '@smartsession/engine/node';
import type { EmotionSetting, FrameResult } from '@smartsession/protocol';

/** A frame to analyse. */
export interface AnalysisJob {
  jobId: number;
  emotion: EmotionSetting;
  /** JPEG bytes (transferred, not copied). */
  image: Uint8Array;
  /** Client time of the frame, ms. */
  t: number;
  baseline: Baseline | null;
}

/** The answer to a job. */
export type AnalysisReply =
  | {
      jobId: number;
      ok: true;
      frame: FrameResult;
      measures: FaceMeasures | null;
      /** Emotion settings this thread has an engine loaded for. */
      engines: EmotionSetting[];
      /** This thread's id. */
      thread: number;
      /** Decoding and analysis time, ms. */
      decodeMs: number;
      analyzeMs: number;
    }
  | { jobId: number; ok: false; code: 'BAD_MESSAGE' | 'INTERNAL'; message: string };

/** Largest frame the decoder accepts, pixels (the socket layer checks the header before). */
const MAX_PIXELS = 640 * 480;

// No libvips operation cache (it would keep decoded frames), one libvips thread (the pool is the parallelism).
sharp.cache(false);
sharp.concurrency(1);

const engines = new Map<EmotionSetting, Promise<NodeEngine>>();
const loaded = new Set<EmotionSetting>();

function engineFor(emotion: EmotionSetting): Promise<NodeEngine> {
  let e = engines.get(emotion);
  if (!e) {
    e = createNodeEngine({ emotion, video: false });
    void e.then(
      () => loaded.add(emotion),
      () => undefined,
    );
    // A failed load is retried by the next job.
    e.catch(() => engines.delete(emotion));
    engines.set(emotion, e);
  }
  return e;
}

async function run(job: AnalysisJob): Promise<AnalysisReply> {
  const t0 = performance.now();
  let raw: { data: Buffer; info: { width: number; height: number } };
  try {
    raw = await sharp(job.image, { failOn: 'error', limitInputPixels: MAX_PIXELS })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    return { jobId: job.jobId, ok: false, code: 'BAD_MESSAGE', message: 'The frame is not a readable JPEG' };
  }
  const decodeMs = performance.now() - t0;
  try {
    const engine = await engineFor(job.emotion);
    // Timed from here: loading the models (first use) is not the cost of a frame.
    const t1 = performance.now();
    engine.setBaseline(job.baseline);
    const r = await engine.analyze(
      { data: raw.data, width: raw.info.width, height: raw.info.height, channels: 3 },
      job.t,
    );
    return {
      jobId: job.jobId,
      ok: true,
      frame: r.frame,
      measures: r.measures,
      decodeMs,
      analyzeMs: performance.now() - t1,
      engines: [...loaded],
      thread: threadId,
    };
  } catch (err) {
    return {
      jobId: job.jobId,
      ok: false,
      code: 'INTERNAL',
      message: err instanceof Error ? err.message : String(err),
    };
  }
}

const port = parentPort;
if (port) {
  // One job at a time: the pool sends the next only after the answer.
  port.on('message', (job: AnalysisJob) => {
    void run(job).then((reply) => port.postMessage(reply));
  });
  port.postMessage({ ready: true });
}
