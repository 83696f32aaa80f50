import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiErrorBody, ReportCsvTable, SessionReport } from '@smartsession/protocol';
import type { SessionRow } from '../db/repository.js';
import type { Db } from '../db/open.js';
import type { Repository } from '../db/repository.js';
import type { AuditLog } from '../ops/audit.js';
import { requireTeacher } from '../http/auth.js';
import { notFound, parse } from '../http/errors.js';
import { type Api, guard, responses, SessionParams } from '../http/typed.js';
import { buildReport } from './build.js';
import { loadReportInput } from './queries.js';
import { reportCsv } from './report-csv.js';

/** What the report routes need from the server. */
export interface ReportDeps {
  db: Db;
  repo: Repository;
  /** The live hub: its pending telemetry writes are committed first, so the report includes them. */
  hub: { flush(): Promise<void> };
  /** Records report views and CSV downloads in the teacher's audit log. */
  audit: AuditLog;
}

/** An IANA time zone the runtime knows ("Europe/Paris"). */
const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown time zone');

const CsvQuery = z.object({ table: ReportCsvTable.optional(), tz: TimeZone.optional() });

/** A file-name-safe form of a session title. */
function slug(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[^\w-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'session'
  );
}

/** `GET /api/sessions/:id/report` (JSON) and `/report.csv?table=students|alerts|timeline`: own sessions only. */
export function reportRoutes(app: Api, deps: ReportDeps): void {
  // After the input checks: a bad `table` is 400 before sign-in is looked at.
  const owned = guard(async (request): Promise<SessionRow> => {
    const teacher = await requireTeacher(deps.repo, request);
    const { id } = parse(SessionParams, request.params);
    const session = await deps.repo.getSession(id);
    if (!session || session.teacherId !== teacher.id) throw notFound('No such session');
    return session;
  });

  async function report(
    request: FastifyRequest,
    action: 'report.view' | 'report.export',
    details: Record<string, unknown>,
  ): Promise<SessionReport> {
    const session = owned.of(request);
    await deps.audit.record(request, session.teacherId, action, { sessionId: session.id, details });
    await deps.hub.flush();
    const input = await loadReportInput(deps.db, session.id, Date.now());
    if (!input) throw notFound('No such session');
    return buildReport(input);
  }

  app.get(
    '/api/sessions/:id/report',
    {
      schema: { params: SessionParams, response: responses({ 200: SessionReport }) },
      preHandler: owned.hook,
    },
    async (request) => report(request, 'report.view', { format: 'json' }),
  );

  app.get(
    '/api/sessions/:id/report.csv',
    {
      schema: {
        params: SessionParams,
        querystring: CsvQuery,
        response: {
          200: { content: { 'text/csv': { schema: z.string().describe('RFC 4180 CSV with a header row') } } },
          '4xx': ApiErrorBody,
          '5xx': ApiErrorBody,
        },
      },
      preHandler: owned.hook,
    },
    async (request, reply) => {
      const { table = 'students', tz } = request.query;
      const r = await report(request, 'report.export', { format: 'csv', table });
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="report-${slug(r.title)}-${table}.csv"`);
      return reportCsv(r, table, tz);
    },
  );
}
