import { describe, it } from 'vitest';
import { postgresAvailable, testDatabaseUrl } from '../../../test/support/env.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/pg.js';
import { serverSuite } from './support/server-suite.js';

if (postgresAvailable()) {
  let db: TestDatabase;
  serverSuite('server over PostgreSQL', {
    setup: async () => {
      db = await createTestDatabase(testDatabaseUrl!);
    },
    options: () => ({ databaseUrl: db.url, dataDir: '/nonexistent-unused' }),
    teardown: async () => db?.drop(),
  });
} else {
  describe.skip('server over PostgreSQL (TEST_DATABASE_URL not set)', () => it('skipped', () => {}));
}
