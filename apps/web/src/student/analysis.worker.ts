/// <reference lib="webworker" />
/**
 * The analysis Web Worker: loads the engine (models from our server, wasm binaries from `/wasm/`),
 * analyses each transferred frame and answers with plain JSON. One frame at a time: the page does not
 * send another until this one is answered.
 */
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

/**
 * Human logs a model that fails to download and carries on without it, so check first that the model
 * descriptions are reachable and say clearly which one is not.
 */
async function checkModels(s: WorkerSetup): Promise<void> {
  const names = ['blazeface', 'facemesh', 'iris', ...(s.emotion === 'on' ? ['emotion'] : [])];
  for (const name of names) {
    const url = `${s.modelBasePath}${name}.json`;
    let res: Response;
    try {
      res = await fetch(url);
    } catch {
      throw new Error(`the model file ${url} could not be downloaded (network error)`);
    }
    if (!res.ok) throw new Error(`the model file ${url} could not be downloaded (HTTP ${res.status})`);
    await res.arrayBuffer();
  }
}

async function init(s: WorkerSetup): Promise<void> {
  setup = s;
  engine?.dispose();
  engine = null;
  const started = performance.now();
  try {
    await checkModels(s);
    engine = (await createBrowserEngine({
      modelBasePath: s.modelBasePath,
      wasmPath: s.wasmPath,
      backend: s.backend,
      emotion: s.emotion,
      calibrationSeconds: s.calibrationSeconds,
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
