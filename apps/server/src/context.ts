import type { Logger } from 'pino';
import type { AnalysisService } from './analysis/service.js';
import type { Repository } from './db/repository.js';
import type { AttemptLimiter } from './http/limits.js';
import type { Hub } from './live/hub.js';
import type { AuditLog } from './ops/audit.js';
import type { Metrics } from './ops/metrics.js';

/** What route and socket handlers share. */
export interface ServerContext {
  repo: Repository;
  hub: Hub;
  log: Logger;
  metrics: Metrics;
  audit: AuditLog;
  limiter: AttemptLimiter;
  /** The origin students and teachers use (`PUBLIC_URL`, else `http://localhost:PORT`): every link. */
  publicUrl(): string;
  /** `PUBLIC_URL`'s origin when set: also accepted as a browser Origin. */
  publicOrigin: string | undefined;
  /** Analysis on the server of frames from students whose device cannot analyse (issue 14). */
  analysis: AnalysisService;
  /** Whether cookies get the Secure flag for this request (HTTPS, or a `PUBLIC_URL` on https). */
  secureCookies(protocol: string): boolean;
}
