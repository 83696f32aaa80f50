/** Stored history for the charts (`GET /api/sessions/:id/timeline`), so a reload or late open keeps context. */
import { TimelineResponse } from '@smartsession/protocol';
import { api } from '../shared/api.js';
import { bucketClassPoints, type ClassPoint } from './aggregate.js';
import type { SeriesView } from './series.js';

/** How far back the class timeline is filled on load, ms. */
const CLASS_HISTORY_MS = 5 * 60_000;
/** How far back a student's timeline is filled when the detail opens, ms. */
const STUDENT_HISTORY_MS = 15 * 60_000;

function timelineUrl(sessionId: string, since: number, participantId?: string): string {
  const q = new URLSearchParams({ since: String(Math.floor(since)) });
  if (participantId) q.set('participantId', participantId);
  return `/api/sessions/${encodeURIComponent(sessionId)}/timeline?${q}`;
}

/** The class timeline of the last minutes, one point per second, from stored samples. */
export async function loadClassHistory(
  sessionId: string,
  now: number,
  signal?: AbortSignal,
): Promise<ClassPoint[]> {
  const res = await api(timelineUrl(sessionId, now - CLASS_HISTORY_MS), { schema: TimelineResponse, signal });
  const lost = res.alerts.filter((a) => a.kind === 'self_report');
  return bucketClassPoints(res.samples, 1000, 10_000, lost);
}

/** One student's stored samples of the last minutes. */
export async function loadStudentHistory(
  sessionId: string,
  participantId: string,
  now: number,
  signal?: AbortSignal,
): Promise<SeriesView> {
  const res = await api(timelineUrl(sessionId, now - STUDENT_HISTORY_MS, participantId), {
    schema: TimelineResponse,
    signal,
  });
  const out: SeriesView = { t: [], score: [], status: [] };
  for (const s of res.samples) {
    out.t.push(s.t);
    out.score.push(s.score);
    out.status.push(s.status);
  }
  return out;
}

/** Stored history followed by the live samples that are newer than it. */
export function mergeViews(history: SeriesView, live: SeriesView): SeriesView {
  const cut = history.t.length ? history.t[history.t.length - 1] : -Infinity;
  const out: SeriesView = { t: [...history.t], score: [...history.score], status: [...history.status] };
  for (let i = 0; i < live.t.length; i++) {
    if (live.t[i] <= cut) continue;
    out.t.push(live.t[i]);
    out.score.push(live.score[i]);
    out.status.push(live.status[i]);
  }
  return out;
}
