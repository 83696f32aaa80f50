/**
 * Web Worker used by browser.test.ts (bundled with esbuild at test time): creates the browser engine with
 * the options it is sent, analyses the frame at `frameUrl` as an ImageBitmap, and posts the result back.
 */
import { createBrowserEngine, type BrowserEngine, type BrowserEngineOptions } from '../src/browser.js';

let engine: BrowserEngine | null = null;

self.onmessage = async (
  ev: MessageEvent<{ options: BrowserEngineOptions; frameUrl: string; repeat: number }>,
) => {
  try {
    const t0 = performance.now();
    engine ??= await createBrowserEngine(ev.data.options);
    const loadMs = performance.now() - t0;
    const blob = await (await fetch(ev.data.frameUrl)).blob();
    let result;
    let tensorsAfterFirst = 0;
    for (let i = 0; i < ev.data.repeat; i++) {
      const bitmap = await createImageBitmap(blob);
      result = await engine.analyze(bitmap, i * 100);
      bitmap.close();
      if (i === 0) tensorsAfterFirst = engine.numTensors();
    }
    postMessage({
      ok: true,
      frame: result?.frame,
      timings: result?.timings,
      backend: engine.backend,
      probe: engine.backendProbe,
      loadMs,
      tensorsAfterFirst,
      tensorsAfterLast: engine.numTensors(),
    });
  } catch (e) {
    postMessage({ ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
};
