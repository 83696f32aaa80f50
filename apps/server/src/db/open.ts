import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { PGliteProxy } from './pglite-proxy.js';
import type { ThreadInfo } from './pglite-worker.js';
import * as schema from './schema.js';

/** The Drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open, migrated database. */
export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** PGlite only: its thread's id and niceness (see `DB_THREAD_NICE`). */
  thread?: ThreadInfo;
  close(): Promise<void>;
}

/** The committed SQL migrations (apps/server/drizzle), same path from src/ and dist/. */
const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Timeouts of PostgreSQL connections, ms: a dead or unreachable server is an error, never a hang. */
const PG_TIMEOUTS = {
  /** Opening a connection. */
  connect: 5000,
  /** One query, measured by the client (covers a network that silently drops packets). */
  query: 15_000,
} as const;

/**
 * Opens the database and applies the migrations: PostgreSQL when `databaseUrl` is set, otherwise an
 * embedded PGlite under `dataDir/pgdata` (one instance per process, in its own lower-priority thread). PostgreSQL connection errors (a
 * restart, `pg_terminate_backend`, a network reset) are reported to `onError` and the pool opens new
 * connections on the next query; they never crash the process.
 */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  onError?: (err: Error) => void;
  /** PGlite only: how far below the event loop its thread runs (default `DB_THREAD_NICE`). */
  dbThreadNice?: number;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      connectionTimeoutMillis: PG_TIMEOUTS.connect,
      query_timeout: PG_TIMEOUTS.query,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5000,
    });
    // A connection that dies emits 'error': on the pool when idle, on the client itself while checked out
    // (a transaction). Unhandled, either would end the process; the query in flight fails on its own.
    pool.on('error', (err) => opts.onError?.(err));
    pool.on('connect', (client) => client.on('error', (err) => opts.onError?.(err)));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    try {
      await migratePg(db as never, { migrationsFolder });
    } catch (err) {
      await pool.end();
      throw err;
    }
    return {
      db,
      kind: 'postgres',
      // A connection that never answers (a dead network) must not keep shutdown waiting for ever.
      close: () =>
        Promise.race([pool.end(), new Promise<void>((r) => setTimeout(r, PG_TIMEOUTS.connect).unref())]),
    };
  }
  const dir = join(opts.dataDir, 'pgdata');
  mkdirSync(dir, { recursive: true });
  // PGlite runs in its own thread: its commits never stall the sockets' event loop.
  const client = await PGliteProxy.start(dir, opts.dbThreadNice);
  const db = drizzlePglite(client as unknown as PGlite, { schema }) as unknown as Db;
  try {
    await migratePglite(db as never, { migrationsFolder });
  } catch (err) {
    await client.close();
    throw err;
  }
  return { db, kind: 'pglite', thread: client.thread, close: () => client.close() };
}
