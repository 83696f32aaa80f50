/**
 * The main thread's handle on the embedded database thread (pglite-worker.ts): the part of PGlite's
 * interface drizzle's PGlite driver uses (`query`, `transaction`) and `close`, each a message to the
 * worker. Errors come back with their SQLSTATE `code`, so storage failures are classified as before.
 */
import { Worker } from 'node:worker_threads';
import type { ThreadInfo, WorkerReply, WorkerRequest } from './pglite-worker.js';

/**
 * How far below the event loop the database thread runs by default (Linux `nice`, 0-19; the
 * `DB_THREAD_NICE` setting). Commits are bursts: at 2,000 students a 2 s batch is ~300 ms of PGlite work.
 * Where the thread and the event loop share a core, an equal share halves the event loop's CPU for that
 * long and status changes queue behind it; at nice 10 the kernel gives the event loop ~90% while both
 * want the core, and the database takes whatever the event loop leaves (it is ~15% of a core at 2,000
 * students). Measured with bench:capacity at 2,500 students on PGlite, server pinned to one core, four
 * runs each, interleaved: nice 0 held 1 of 4 (status p99 48-351 ms, samples p99 up to 1.06 s), nice 10
 * held 4 of 4 (status p99 34-88 ms, samples p99 < 0.42 s), every message acknowledged in both: the
 * database catches up in the idle time between bursts of live traffic. On a machine where other
 * programs keep every core busy the database thread yields to them too; 0 turns this off.
 */
export const DB_THREAD_NICE = 10;

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

  private constructor(
    private readonly worker: Worker,
    /** The database thread's id and niceness (null where the platform has no per-thread priority). */
    readonly thread: ThreadInfo,
  ) {
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

  /**
   * Starts the database thread on `dataDir`, `nice` below the caller's priority (default
   * {@link DB_THREAD_NICE}), and resolves once PGlite is open.
   */
  static async start(dataDir: string, nice = DB_THREAD_NICE): Promise<PGliteProxy> {
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(`./pglite-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
    // Run from the TypeScript sources (tests, benches), the thread registers tsx's loader first.
    const worker = fromSource
      ? new Worker(
          `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`,
          { eval: true, workerData: { dataDir, nice } },
        )
      : new Worker(url, { workerData: { dataDir, nice } });
    const thread = await new Promise<ThreadInfo>((resolve, reject) => {
      const onMessage = (m: WorkerReply) => {
        if (m.id !== 0) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve((m.ok && (m.result as ThreadInfo)) || { tid: null, nice: null });
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the database thread exited (${code}) while starting`)));
    });
    return new PGliteProxy(worker, thread);
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
