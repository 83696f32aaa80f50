/** Issue 9's fault scenarios on the embedded database (see support/fault-suite.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultSuite } from './support/fault-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'ss-faults-'));
faultSuite('PGlite', {
  options: () => ({ dataDir: dir }),
  teardown: async () => rmSync(dir, { recursive: true, force: true }),
});
