/// <reference lib="webworker" />
/**
 * The analysis Web Worker: loads the engine (the attention face mesh by default, or the old mesh when the
 * setup says so; models from our server, wasm binaries from `/wasm/`),
 * analyses each transferred frame and answers with plain JSON. One frame at a time: the page does not
 * send another until this one is answered. A model file that does not load makes the engine reject with
 * an error naming the file, which goes back to the page as `load-error`.
 */
import '../shared/zodConfig.js';
import { createBrowserEngine } from '@smartsession/engine/browser';
import type { AnalyzeResult, Engine } from '@smartsession/engine';
import type { CalibrationInfo, FromWorker, ToWorker, WorkerSetup } from './workerProtocol.js';

declare const self: DedicatedWorkerGlobalScope;

type BrowserEngine = Engine<ImageBitmap>;
let engine: BrowserEngine | null = null;
let setup: WorkerSetup | null = null;

const post = (msg: FromWorker): void => self.postMessage(msg);

function calibrationInfo(c: AnalyzeResult['calibration']): CalibrationInfo {
  return { active: c.state === 'collecting', progress: c.progress, done: c.state === 'done' };
}

async function init(s: WorkerSetup): Promise<void> {
  setup = s;
  engine?.dispose();
  engine = null;
  const started = performance.now();
  try {
    engine = (await createBrowserEngine({
      modelBasePath: s.modelBasePath,
      wasmPath: s.wasmPath,
      backend: s.backend,
      emotion: s.emotion,
      calibrationSeconds: s.calibrationSeconds,
      ...(s.mesh ? { mesh: s.mesh } : {}),
    })) as BrowserEngine;
    post({ type: 'ready', backend: engine.backend, loadMs: performance.now() - started });
  } catch (err) {
    post({ type: 'load-error', message: err instanceof Error ? err.message : String(err) });
  }
}

async function analyze(id: number, tMs: number, bitmap: ImageBitmap): Promise<void> {
  const started = performance.now();
  try {
    if (!engine) throw new Error('the models are not loaded');
    const r = await engine.analyze(bitmap, tMs);
    post({
      type: 'result',
      id,
      tMs,
      frame: r.frame,
      overlay: r.overlay,
      analysisMs: performance.now() - started,
      calibration: calibrationInfo(r.calibration),
    });
  } catch (err) {
    post({ type: 'frame-error', id, message: err instanceof Error ? err.message : String(err) });
  } finally {
    bitmap.close();
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'init':
      void init(msg.setup);
      break;
    case 'frame':
      void analyze(msg.id, msg.tMs, msg.bitmap);
      break;
    case 'calibrate':
      engine?.startCalibration(setup?.calibrationSeconds);
      break;
    case 'dispose':
      engine?.dispose();
      engine = null;
      break;
  }
};
