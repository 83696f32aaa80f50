/**
 * Page side of the analysis worker: starts it, loads the engine, sends frames (transferred, one at a
 * time: a frame offered while the worker is busy is dropped) and hands results back.
 */
import type { AnalysisPlace } from '@smartsession/protocol';
import { ServerAnalyser, type FrameLink, type ServerAnalysisMessage } from './serverAnalysis.js';
import type { FromWorker, ToWorker, WorkerSetup } from './workerProtocol.js';

type ResultMessage = Extract<FromWorker, { type: 'result' }>;

/** Listeners of {@link AnalysisClient}. */
export interface AnalysisHandlers {
  onResult: (result: ResultMessage) => void;
  onFrameError: (message: string) => void;
}

/**
 * `?mesh=facemesh` on the page runs Human's old face mesh instead of the engine's default attention
 * mesh (comparison and diagnosis, like `?backend=wasm`); anything else keeps the default.
 */
export function meshFromUrl(search: string = globalThis.location?.search ?? ''): WorkerSetup['mesh'] {
  const m = new URLSearchParams(search).get('mesh');
  return m === 'facemesh' || m === 'attention' ? m : undefined;
}

/** Owns one analysis worker. */
export class AnalysisClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private inFlight: number | null = null;
  /** Frames offered while the worker was busy. */
  dropped = 0;
  /** Set: frames go to the school's server instead of the worker (issue 14). */
  private server: ServerAnalyser | null = null;

  constructor(private readonly handlers: AnalysisHandlers) {}

  /** True while a frame is being analysed. */
  get busy(): boolean {
    return this.server ? this.server.busy : this.inFlight !== null;
  }

  /** Where frames are analysed. */
  get place(): AnalysisPlace {
    return this.server ? 'server' : 'browser';
  }

  /** The frame interval the server asks for, ms (null when analysing in the browser). */
  get serverIntervalMs(): number | null {
    return this.server?.intervalMs ?? null;
  }

  /**
   * Sends frames to the school's server over `link` from the next {@link start} on (null: back to the
   * worker in this browser). The student agreed to it first.
   */
  useServer(link: FrameLink | null): void {
    this.stop();
    this.server = link
      ? new ServerAnalyser(link, this.handlers.onResult, (message) => this.handlers.onFrameError(message))
      : null;
  }

  /** An answer of the server about frames. */
  serverMessage(msg: ServerAnalysisMessage): void {
    this.server?.receive(msg);
  }

  /** Starts the worker and loads the models. Resolves with the backend in use; rejects with a clear message. */
  start(setup: WorkerSetup): Promise<{ backend: string; loadMs: number }> {
    this.stop();
    if (this.server) return Promise.resolve({ backend: 'server', loadMs: 0 });
    const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), {
      type: 'module',
      name: 'analysis',
    });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      let settled = false;
      worker.onerror = (ev) => {
        ev.preventDefault();
        const message = ev.message || 'the analysis worker could not start';
        if (!settled) {
          settled = true;
          reject(new Error(message));
        } else this.handlers.onFrameError(message);
      };
      worker.onmessage = (ev: MessageEvent<FromWorker>) => {
        const msg = ev.data;
        switch (msg.type) {
          case 'ready':
            settled = true;
            resolve({ backend: msg.backend, loadMs: msg.loadMs });
            break;
          case 'load-error':
            settled = true;
            reject(new Error(msg.message));
            break;
          case 'result':
            if (msg.id === this.inFlight) this.inFlight = null;
            this.handlers.onResult(msg);
            break;
          case 'frame-error':
            if (msg.id === this.inFlight) this.inFlight = null;
            this.handlers.onFrameError(msg.message);
            break;
        }
      };
      const mesh = setup.mesh ?? meshFromUrl();
      this.post({ type: 'init', setup: mesh ? { ...setup, mesh } : setup });
    });
  }

  /**
   * Offers a frame. Returns false (and counts a drop) when the worker is still busy; otherwise the bitmap
   * is transferred to the worker and must not be used here again.
   */
  offer(bitmap: ImageBitmap, tMs: number): boolean {
    if (this.server) {
      if (this.server.busy) {
        this.dropped++;
        bitmap.close();
        return false;
      }
      void this.server.offer(bitmap, tMs).then((sent) => {
        if (!sent) this.dropped++;
      });
      return true;
    }
    if (!this.worker || this.inFlight !== null) {
      this.dropped++;
      bitmap.close();
      return false;
    }
    const id = this.nextId++;
    this.inFlight = id;
    this.post({ type: 'frame', id, tMs, bitmap }, [bitmap]);
    return true;
  }

  /** Starts (or restarts) calibration: the next few seconds of frames set the neutral baseline. */
  calibrate(): void {
    this.server?.calibrate();
    this.post({ type: 'calibrate' });
  }

  /** Stops the worker. */
  stop(): void {
    if (!this.worker) return;
    this.post({ type: 'dispose' });
    this.worker.terminate();
    this.worker = null;
    this.inFlight = null;
  }

  private post(msg: ToWorker, transfer: Transferable[] = []): void {
    this.worker?.postMessage(msg, transfer);
  }
}
