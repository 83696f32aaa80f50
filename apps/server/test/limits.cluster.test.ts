/**
 * Issue 12: the attempt limits are shared by every instance of a deployment through Redis. Ten wrong
 * passwords spread over instance A and B block the account on both. Runs when TEST_DATABASE_URL and
 * TEST_REDIS_URL are set (its own database and its own Redis key prefix).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresAvailable,
  redisAvailable,
  testDatabaseUrl,
  testRedisUrl,
} from '../../../test/support/env.js';
import { startServer, type RunningServer } from '../src/index.js';
import { Http } from './support/client.js';
import { createTestDatabase, type TestDatabase } from './support/pg.js';

describe.skipIf(!(postgresAvailable() && redisAvailable()))('attempt limits across instances (Redis)', () => {
  let db: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    db = await createTestDatabase(testDatabaseUrl!);
    const common = {
      port: 0,
      databaseUrl: db.url,
      redisUrl: testRedisUrl!,
      redisStreamName: `ss-test-${randomBytes(6).toString('hex')}`,
      cookieSecret: 'shared-secret-for-both-instances',
      logLevel: 'silent',
    };
    a = await startServer(common);
    b = await startServer(common);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('failures on A and B add up; the block holds on both, even for the right password', async () => {
    const email = 'limits@school.test';
    const password = 'a lesson on fractions';
    expect((await new Http(a.url).post('/api/auth/signup', { email, password, name: 'L' })).status).toBe(201);
    for (let i = 0; i < 10; i++) {
      const via = i % 2 === 0 ? a : b;
      expect((await new Http(via.url).post('/api/auth/login', { email, password: `nope ${i}` })).status).toBe(
        401,
      );
    }
    for (const via of [a, b]) {
      const r = await new Http(via.url).post('/api/auth/login', { email, password });
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});
