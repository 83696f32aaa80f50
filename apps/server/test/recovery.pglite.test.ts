import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recoverySuite } from './support/recovery-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'ss-recovery-'));
recoverySuite('live recovery over embedded PGlite', {
  options: () => ({ dataDir: dir }),
  teardown: async () => rmSync(dir, { recursive: true, force: true }),
});
