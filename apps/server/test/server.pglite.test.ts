import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverSuite } from './support/server-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'ss-server-'));
serverSuite('server over embedded PGlite', {
  options: () => ({ dataDir: dir }),
  teardown: async () => rmSync(dir, { recursive: true, force: true }),
});
