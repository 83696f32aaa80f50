/** One student's timeline (uPlot): confusion score with status bands, alert spans and teacher markers. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { SessionMode } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import { fitWidth, liveRange, markersPlugin, startWidth, timeAxis, withGaps } from './charts.js';
import { statusTone, TONE_COLOURS } from '../shared/status.js';
import type { SeriesView } from './series.js';
import { loadStudentHistory, mergeViews } from './history.js';
import { formatNumber, useI18n } from '../i18n/i18n.js';

const HEIGHT = 160;
/** Samples arrive every second or so while connected; a longer silence is a gap (offline, reload). */
const MAX_GAP_S = 10;

function columns(v: SeriesView): uPlot.AlignedData {
  return withGaps([v.t.map((t) => t / 1000), v.score], MAX_GAP_S) as uPlot.AlignedData;
}

/** Background bands per status run (never across a gap) and spans for this student's proctor alerts. */
function bandsPlugin(
  store: DashboardStore,
  id: string,
  mode: SessionMode,
  view: () => SeriesView,
): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u) => {
        const v = view();
        const ctx = u.ctx;
        const top = u.bbox.top;
        const h = u.bbox.height;
        ctx.save();
        for (let i = 0; i < v.t.length; i++) {
          const x0 = u.valToPos(v.t[i]! / 1000, 'x', true);
          const next = i + 1 < v.t.length ? v.t[i + 1]! : store.now();
          const end = Math.min(next, v.t[i]! + MAX_GAP_S * 1000);
          const x1 = u.valToPos(end / 1000, 'x', true);
          ctx.fillStyle = TONE_COLOURS[statusTone(v.status[i]!, mode)].background;
          ctx.fillRect(x0, top, Math.max(1, x1 - x0), h);
        }
        ctx.fillStyle = mode === 'exam' ? 'rgba(217, 48, 37, 0.25)' : 'rgba(47, 111, 208, 0.2)';
        for (const a of store.alerts) {
          if (a.participantId !== id || a.kind !== 'proctor') continue;
          const x0 = u.valToPos(a.startedAt / 1000, 'x', true);
          const x1 = u.valToPos((a.endedAt ?? store.now()) / 1000, 'x', true);
          ctx.fillRect(x0, top, Math.max(2, x1 - x0), h);
        }
        ctx.restore();
      },
    },
  };
}

/** The student's timeline (`data-testid="student-timeline"`). */
export function StudentTimeline({
  store,
  id,
  sessionId,
  mode,
}: {
  store: DashboardStore;
  id: string;
  sessionId: string;
  mode: SessionMode;
}) {
  const { t, locale } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const empty: SeriesView = { t: [], score: [], status: [] };
    let history = empty;
    let current: SeriesView = store.series.get(id)?.view() ?? empty;
    const opts: uPlot.Options = {
      width: startWidth(el),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: {
          time: true,
          range: (u) => liveRange(u.data[0][0], Math.max(store.now() / 1000, u.data[0].at(-1) ?? 0)),
        },
        y: { range: [0, 1] },
      },
      axes: [timeAxis(), { size: 44, values: (_u, v) => v.map((x) => formatNumber(x, 1)) }],
      series: [{}, { label: t('chart.score'), stroke: '#202124', width: 2, spanGaps: false }],
      plugins: [bandsPlugin(store, id, mode, () => current), markersPlugin(() => store.markers)],
    };
    const u = new uPlot(opts, columns(current), el);
    const stopFit = fitWidth(u, el, HEIGHT);
    const update = () => {
      current = mergeViews(history, store.series.get(id)?.view() ?? empty);
      u.setData(columns(current));
    };
    const ctl = new AbortController();
    loadStudentHistory(sessionId, id, store.now(), ctl.signal)
      .then((h) => {
        history = h;
        update();
      })
      .catch(() => undefined); // live samples still show; history is a bonus
    const offSamples = store.subscribeSamples(id, update);
    const offAlerts = store.subscribe('alerts', () => u.redraw(false, false));
    const offMarkers = store.subscribe('markers', () => u.redraw(false, false));
    return () => {
      ctl.abort();
      offSamples();
      offAlerts();
      offMarkers();
      stopFit();
      u.destroy();
    };
  }, [store, id, sessionId, mode, t, locale]);
  return (
    <div
      ref={box}
      className="chart"
      data-testid="student-timeline"
      role="img"
      aria-label={t('chart.studentLabel')}
    />
  );
}
