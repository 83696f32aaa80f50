import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/open.js';
import { repositoryContract } from './support/repo-contract.js';

repositoryContract('embedded PGlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-repo-'));
  const db = await openDatabase({ dataDir: dir });
  return { ...db, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});
