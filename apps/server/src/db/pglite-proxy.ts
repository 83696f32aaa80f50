/**
 * The main thread's handle on the embedded database thread (pglite-worker.ts): the part of PGlite's
 * interface drizzle's PGlite driver uses (`query`, `transaction`) and `close`, each a message to the
 * worker. Errors come back with their SQLSTATE `code`, so storage failures are classified as before.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './pglite-worker.js';

type Results = { rows: unknown[]; fields: unknown[]; affectedRows?: number };
type QueryOptions = { rowMode?: 'array' | 'object' };

/** An error from the database thread, with the database's SQLSTATE and detail when it has them. */
class DatabaseThreadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}

/** Distributes a request without its id (TypeScript keeps the union arms apart). */
type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** A transaction open in the database thread; its queries go to it. */
class ProxyTransaction {
  constructor(
    private readonly proxy: PGliteProxy,
    private readonly tx: number,
  ) {}

  query<T = unknown>(
    sql: string,
    params: unknown[] = [],
    options: QueryOptions = {},
  ): Promise<Results & { rows: T[] }> {
    return this.proxy.send({
      op: 'query',
      sql,
      params,
      rowMode: options.rowMode ?? 'object',
      tx: this.tx,
    }) as Promise<Results & { rows: T[] }>;
  }
}

/** PGlite in a worker thread, as drizzle sees PGlite. */
export class PGliteProxy {
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: unknown) => void }
  >();
  private closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new DatabaseThreadError(reply.error.message, reply.error.code, reply.error.detail));
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => this.failAll(new Error(`the database thread exited (${code})`)));
  }

  /** Starts the database thread on `dataDir` and resolves once PGlite is open. */
  static async start(dataDir: string): Promise<PGliteProxy> {
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(`./pglite-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
    // Run from the TypeScript sources (tests, benches), the thread registers tsx's loader first.
    const worker = fromSource
      ? new Worker(
          `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`,
          { eval: true, workerData: { dataDir } },
        )
      : new Worker(url, { workerData: { dataDir } });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: WorkerReply) => {
        if (m.id !== 0) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the database thread exited (${code}) while starting`)));
    });
    return new PGliteProxy(worker);
  }

  /** @internal Sends a request and resolves with its result. */
  send(req: Request): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  query<T = unknown>(
    sql: string,
    params: unknown[] = [],
    options: QueryOptions = {},
  ): Promise<Results & { rows: T[] }> {
    return this.send({ op: 'query', sql, params, rowMode: options.rowMode ?? 'object', tx: null }) as Promise<
      Results & { rows: T[] }
    >;
  }

  /** Runs `fn` in a transaction of the database thread: committed when it resolves, rolled back when it throws. */
  async transaction<T>(fn: (tx: ProxyTransaction) => Promise<T>): Promise<T> {
    const tx = (await this.send({ op: 'begin' })) as number;
    let result: T;
    try {
      result = await fn(new ProxyTransaction(this, tx));
    } catch (err) {
      await this.send({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw err;
    }
    await this.send({ op: 'end', tx, commit: true });
    return result;
  }

  /** Closes PGlite (a clean shutdown of its data directory) and stops the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.send({ op: 'close' });
    this.closed = true;
    await this.worker.terminate();
  }

  private failAll(err: unknown): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
