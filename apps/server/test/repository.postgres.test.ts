import { describe, it } from 'vitest';
import { postgresAvailable, testDatabaseUrl } from '../../../test/support/env.js';
import { openDatabase } from '../src/db/open.js';
import { createTestDatabase } from '../../../test/support/pg.js';
import { repositoryContract } from './support/repo-contract.js';

if (postgresAvailable()) {
  repositoryContract('PostgreSQL', async () => {
    const pg = await createTestDatabase(testDatabaseUrl!);
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '/unused' });
    return { ...db, cleanup: () => pg.drop() };
  });
} else {
  describe.skip('Repository contract: PostgreSQL (TEST_DATABASE_URL not set)', () => it('skipped', () => {}));
}
