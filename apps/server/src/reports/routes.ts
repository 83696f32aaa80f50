import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ReportCsvTable, type SessionReport } from '@smartsession/protocol';
import type { Db } from '../db/open.js';
import type { Repository } from '../db/repository.js';
import type { AuditLog } from '../ops/audit.js';
import { requireTeacher } from '../http/auth.js';
import { notFound, parse } from '../http/errors.js';
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
export function reportRoutes(app: FastifyInstance, deps: ReportDeps): void {
  async function report(
    request: FastifyRequest,
    action: 'report.view' | 'report.export',
    details: Record<string, unknown>,
  ): Promise<SessionReport> {
    const teacher = await requireTeacher(deps.repo, request);
    const { id } = request.params as { id: string };
    const session = await deps.repo.getSession(id);
    if (!session || session.teacherId !== teacher.id) throw notFound('No such session');
    await deps.audit.record(request, teacher.id, action, { sessionId: id, details });
    await deps.hub.flush();
    const input = await loadReportInput(deps.db, id, Date.now());
    if (!input) throw notFound('No such session');
    return buildReport(input);
  }

  app.get('/api/sessions/:id/report', async (request) => report(request, 'report.view', { format: 'json' }));

  app.get('/api/sessions/:id/report.csv', async (request, reply) => {
    const { table = 'students', tz } = parse(CsvQuery, request.query);
    const r = await report(request, 'report.export', { format: 'csv', table });
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="report-${slug(r.title)}-${table}.csv"`);
    return reportCsv(r, table, tz);
  });
}
