/**
 * Operational routes: `/livez`, `/readyz` and `/healthz` (answered from memory: a database that hangs
 * makes them say 503 at once, never hang with it) and `/metrics` (Prometheus text).
 */
import { z } from 'zod';
import { ApiErrorBody } from '@smartsession/protocol';
import type { Health } from '../health.js';
import { ApiError } from '../http/errors.js';
import { type Api, responses } from '../http/typed.js';
import type { Metrics } from './metrics.js';

/** One dependency's state in `/readyz`. */
const DependencyState = z.object({
  ok: z.boolean(),
  /** Server ms of the last change. */
  since: z.number(),
  error: z.string().nullable(),
});

/** `/readyz` and `/healthz`: ready when every check is up. */
const Readiness = z.object({
  ok: z.boolean(),
  database: z.enum(['pglite', 'postgres']),
  redis: z.boolean(),
  checks: z.record(z.string(), DependencyState),
});

/** What the operational routes read. */
export interface OpsDeps {
  health: Health;
  metrics: Metrics;
  database: 'pglite' | 'postgres';
  redis: boolean;
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
}

/** Registers `/livez`, `/readyz`, `/healthz` and `/metrics`. */
export function opsRoutes(app: Api, deps: OpsDeps): void {
  const { health, metrics } = deps;
  const readiness = (): z.infer<typeof Readiness> => ({
    ok: health.ready,
    database: deps.database,
    redis: deps.redis,
    checks: health.report(),
  });
  const probe = { response: responses({ 200: Readiness, 503: Readiness }) };
  app.get(
    '/livez',
    { schema: { description: 'The process is alive', response: { 200: z.object({ ok: z.literal(true) }) } } },
    async () => ({ ok: true as const }),
  );
  app.get(
    '/readyz',
    { schema: { description: 'Ready to serve (database and Redis reachable), else 503', ...probe } },
    async (_request, reply) => reply.code(health.ready ? 200 : 503).send(readiness()),
  );
  app.get('/healthz', { schema: { description: 'Same as /readyz', ...probe } }, async (_request, reply) =>
    reply.code(health.ready ? 200 : 503).send(readiness()),
  );
  app.get(
    '/metrics',
    {
      schema: {
        description: 'Prometheus text format; needs `Authorization: Bearer METRICS_TOKEN` when that is set',
        response: {
          200: { content: { 'text/plain': { schema: z.string() } } },
          '4xx': ApiErrorBody,
          '5xx': ApiErrorBody,
        },
      },
    },
    async (request, reply) => {
      if (deps.metricsToken && request.headers.authorization !== `Bearer ${deps.metricsToken}`)
        throw new ApiError(401, 'UNAUTHORIZED', 'Metrics need the bearer token (METRICS_TOKEN)');
      const m = await metrics.text();
      return reply.type(m.contentType).send(m.body);
    },
  );
}
