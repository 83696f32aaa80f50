/**
 * A pool of analysis threads (`worker.ts`), started on first use. Each thread takes one job at a time;
 * the caller (the service's fair scheduler) hands a job only to a free thread. A thread that dies fails
 * its job and is replaced on next use.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { AnalysisJob, AnalysisReply } from './worker.js';

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  job: { jobId: number; resolve: (r: AnalysisReply) => void } | null;
}

function startWorker(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(`./worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  // From the TypeScript sources (tests, benches) the thread registers tsx's loader first.
  return fromSource
    ? new Worker(
        `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`,
        { eval: true },
      )
    : new Worker(url);
}

/** Analysis threads. */
export class EnginePool {
  private readonly threads: Array<Thread | null>;
  private closed = false;

  /** `size` threads (0: analysis on the server is off); `onFree` is called whenever a thread frees up. */
  constructor(
    readonly size: number,
    private readonly log: Logger,
    private readonly onFree: () => void,
  ) {
    this.threads = Array.from({ length: size }, () => null);
  }

  /** Threads started so far. */
  get started(): number {
    return this.threads.filter((t) => t !== null).length;
  }

  /** Threads without a job (started or not). */
  get free(): number {
    return this.threads.filter((t) => !t?.job).length;
  }

  /**
   * Runs a job on a free thread (starting it if needed); null when every thread is busy. The image is
   * transferred to the thread (the caller's copy becomes empty).
   */
  tryRun(job: AnalysisJob): Promise<AnalysisReply> | null {
    if (this.closed) return null;
    const i = this.threads.findIndex((t) => !t?.job);
    if (i < 0) return null;
    const thread = this.threads[i] ?? this.spawn(i);
    return new Promise<AnalysisReply>((resolve) => {
      thread.job = { jobId: job.jobId, resolve };
      thread.ready.then(
        () => {
          const image = job.image;
          const own = image.byteOffset === 0 && image.byteLength === image.buffer.byteLength;
          // Transfer (never copy twice): a Buffer from Socket.IO may share a larger buffer, so copy it once.
          const bytes = own ? image : new Uint8Array(image);
          thread.worker.postMessage({ ...job, image: bytes }, [bytes.buffer as ArrayBuffer]);
        },
        (err: unknown) => this.fail(i, thread, err),
      );
    });
  }

  private spawn(i: number): Thread {
    const worker = startWorker();
    const thread: Thread = {
      worker,
      job: null,
      ready: new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      }),
    };
    thread.ready.catch(() => undefined);
    worker.on('message', (m: AnalysisReply | { ready: true }) => {
      if (!('jobId' in m) || thread.job?.jobId !== m.jobId) return;
      const { resolve } = thread.job;
      thread.job = null;
      resolve(m);
      this.onFree();
    });
    worker.on('error', (err) => this.fail(i, thread, err));
    worker.on('exit', (code) => this.fail(i, thread, new Error(`analysis thread exited (${code})`)));
    this.threads[i] = thread;
    return thread;
  }

  private fail(i: number, thread: Thread, err: unknown): void {
    if (this.threads[i] !== thread) return;
    this.threads[i] = null;
    if (!this.closed) this.log.error({ err }, 'analysis thread failed');
    void thread.worker.terminate();
    const job = thread.job;
    thread.job = null;
    job?.resolve({ jobId: job.jobId, ok: false, code: 'INTERNAL', message: 'The analysis thread failed' });
    if (!this.closed) this.onFree();
  }

  /** Stops every thread (jobs in flight fail). */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    await Promise.all(
      threads.map(async (t) => {
        if (!t) return;
        const job = t.job;
        t.job = null;
        job?.resolve({ jobId: job.jobId, ok: false, code: 'INTERNAL', message: 'The server is stopping' });
        await t.worker.terminate();
      }),
    );
  }
}
