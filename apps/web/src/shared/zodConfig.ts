/**
 * Imported first by every entry (page and worker): zod's JIT probes `new Function` when object schemas
 * are defined, and the Content-Security-Policy (no 'unsafe-eval') reports that as a violation even
 * though zod catches it. Validation without the JIT is the same, a little slower.
 */
import { z } from 'zod';

z.config({ jitless: true });
