/**
 * The embedded database in its own thread: PGlite (Postgres compiled to wasm) runs here, so its work —
 * often several milliseconds per commit — never stalls the event loop that carries the sockets. The
 * main thread talks to it through {@link PGliteProxy} (pglite-proxy.ts), which drizzle uses as if it
 * were PGlite. Messages: `query` (optionally inside an open transaction), `begin` / `end` of a
 * transaction, `close`.
 *
 * The thread also runs below the sockets' priority (`nice`, see `DB_THREAD_NICE` in pglite-proxy.ts):
 * where both share a core, a commit yields to the live traffic instead of halving its share of the core.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';

/** A request from the main thread. */
export type WorkerRequest =
  | {
      id: number;
      op: 'query';
      sql: string;
      params: unknown[];
      rowMode: 'array' | 'object';
      tx: number | null;
    }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** The answer to a request. */
export type WorkerReply =
  | { id: number; ok: true; result?: unknown }
  | { id: number; ok: false; error: { message: string; code?: string; detail?: string; name: string } };

// Drizzle's own PGlite driver passes these parsers: date and time types stay text (we store ms as bigint).
const same = (v: string) => v;
const parsers = {
  [types.TIMESTAMP]: same,
  [types.TIMESTAMPTZ]: same,
  [types.INTERVAL]: same,
  [types.DATE]: same,
  1231: same,
  1115: same,
  1185: same,
  1187: same,
  1182: same,
};

/** This thread's id and the niceness it runs at (null where it could not be read or set: not Linux). */
export interface ThreadInfo {
  tid: number | null;
  nice: number | null;
}

/**
 * Lowers this thread's scheduling priority by `nice` below the process's (0: leaves it; at most 19, the
 * lowest). On Linux the nice value belongs to
 * a thread, and setpriority() given a thread id changes that thread alone; `/proc/thread-self` names it.
 * Raising one's own niceness needs no privilege. Elsewhere (macOS, Windows) the call would change the
 * whole process, so it is not made.
 */
function lowerPriority(nice: number): ThreadInfo {
  if (process.platform !== 'linux') return { tid: null, nice: null };
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    const target = Math.min(19, getPriority(tid) + nice);
    if (nice > 0) setPriority(tid, target);
    return { tid, nice: getPriority(tid) };
  } catch {
    return { tid: null, nice: null };
  }
}

const port = parentPort!;
const { dataDir, nice } = workerData as { dataDir: string; nice: number };
const thread = lowerPriority(nice);
const db = await PGlite.create(dataDir);

/** Open transactions: their query handle and how to end them. */
const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void; done: Promise<void> }>();

function fail(id: number, err: unknown): WorkerReply {
  const e = err as { message?: string; code?: string; detail?: string; name?: string };
  return {
    id,
    ok: false,
    error: { message: e.message ?? String(err), code: e.code, detail: e.detail, name: e.name ?? 'Error' },
  };
}

async function handle(req: WorkerRequest): Promise<WorkerReply> {
  switch (req.op) {
    case 'query': {
      const target = req.tx === null ? db : open.get(req.tx)?.tx;
      if (!target) return fail(req.id, new Error(`no open transaction ${req.tx}`));
      const r = await target.query(req.sql, req.params, { rowMode: req.rowMode, parsers });
      return {
        id: req.id,
        ok: true,
        result: { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows },
      };
    }
    case 'begin': {
      let started!: () => void;
      const ready = new Promise<void>((r) => (started = r));
      let end!: (commit: boolean) => void;
      const ended = new Promise<boolean>((r) => (end = r));
      const entry = { tx: null as unknown as Transaction, end, done: Promise.resolve() };
      entry.done = db
        .transaction(async (tx) => {
          entry.tx = tx;
          open.set(req.id, entry);
          started();
          // PGlite rolls back when this throws.
          if (!(await ended)) throw new RollbackSignal();
        })
        .then(
          () => undefined,
          (err: unknown) => {
            if (!(err instanceof RollbackSignal)) throw err;
          },
        );
      await Promise.race([ready, entry.done]);
      return { id: req.id, ok: true, result: req.id };
    }
    case 'end': {
      const t = open.get(req.tx);
      if (!t) return fail(req.id, new Error(`no open transaction ${req.tx}`));
      open.delete(req.tx);
      t.end(req.commit);
      await t.done;
      return { id: req.id, ok: true };
    }
    case 'close':
      await db.close();
      return { id: req.id, ok: true };
  }
}

class RollbackSignal extends Error {}

port.on('message', (req: WorkerRequest) => {
  handle(req).then(
    (reply) => port.postMessage(reply),
    (err: unknown) => port.postMessage(fail(req.id, err)),
  );
});
port.postMessage({ id: 0, ok: true, result: thread });
