/**
 * The embedded database's thread runs below the event loop's priority (DB_THREAD_NICE; why: the comment on
 * it in src/db/pglite-proxy.ts, and bench:capacity). Read back from the kernel, not from our own report.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/open.js';
import { DB_THREAD_NICE } from '../src/db/pglite-proxy.js';
import { loadConfig } from '../src/ops/config.js';

/** The nice value the kernel holds for a thread of this process (field 19 of its stat line). */
function kernelNice(tid: number | 'self'): number {
  const path = tid === 'self' ? '/proc/self/stat' : `/proc/self/task/${tid}/stat`;
  const stat = readFileSync(path, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe.runIf(process.platform === 'linux')('the embedded database thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-thread-'));
  let database: Database;
  let before: number;

  beforeAll(async () => {
    before = kernelNice('self');
    database = await openDatabase({ dataDir: dir });
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs DB_THREAD_NICE (10) below the process by default; the event loop keeps its priority', async () => {
    expect(DB_THREAD_NICE).toBe(10);
    const tid = database.thread?.tid;
    expect(tid, 'the database thread reports its id').toBeTypeOf('number');
    expect(tid).not.toBe(process.pid);
    const want = Math.min(19, before + DB_THREAD_NICE);
    expect(kernelNice(tid!)).toBe(want);
    expect(database.thread?.nice).toBe(want);
    expect(kernelNice('self'), 'the main thread is untouched').toBe(before);
    // And it still answers.
    const r = await database.db.execute(sql`select 41 + 1 as n`);
    expect((r as unknown as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(42);
  });

  it('is a setting: DB_THREAD_NICE, 0..19, default 10', () => {
    expect(loadConfig({}).DB_THREAD_NICE).toBe(10);
    expect(loadConfig({ DB_THREAD_NICE: '0' }).DB_THREAD_NICE).toBe(0);
    expect(() => loadConfig({ DB_THREAD_NICE: '20' })).toThrow(/DB_THREAD_NICE/);
  });
});
