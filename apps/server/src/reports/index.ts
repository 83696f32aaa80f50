/**
 * @packageDocumentation
 * Session reports (JSON and CSV) and data retention, plugged into the server by {@link setupReports}.
 */
import type { Logger } from 'pino';
import type { Api } from '../http/typed.js';
import { parseRetentionDays, startRetention } from './retention.js';
import { type ReportDeps, reportRoutes } from './routes.js';

/**
 * Registers the report routes and starts the retention purge (now, then nightly; stopped when the
 * Fastify app closes). `retentionDays` defaults to 30 (`DEFAULT_RETENTION_DAYS`); a non-positive or
 * non-numeric value throws (the server refuses to start rather than purge with a wrong setting).
 */
export function setupReports(app: Api, deps: ReportDeps & { log: Logger; retentionDays?: number }): void {
  reportRoutes(app, deps);
  const retention = startRetention(deps.db, parseRetentionDays(deps.retentionDays), deps.log);
  app.addHook('onClose', () => retention.stop());
}
