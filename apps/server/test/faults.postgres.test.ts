/** Issue 9's fault scenarios on PostgreSQL (see support/fault-suite.ts). */
import { describe, it } from 'vitest';
import { postgresAvailable, testDatabaseUrl } from '../../../test/support/env.js';
import { faultSuite } from './support/fault-suite.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/pg.js';

if (postgresAvailable()) {
  let db: TestDatabase;
  faultSuite('PostgreSQL', {
    setup: async () => {
      db = await createTestDatabase(testDatabaseUrl!);
    },
    options: () => ({ databaseUrl: db.url, dataDir: '/nonexistent-unused' }),
    teardown: async () => db?.drop(),
  });
} else {
  describe.skip('faults over PostgreSQL (TEST_DATABASE_URL not set)', () => it('skipped', () => {}));
}
