/** One student's timeline (uPlot): confusion score with status bands, alert spans and teacher markers. */
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import type { SessionMode } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import {
  baseOptions,
  liveTimeScale,
  markersPlugin,
  mountChart,
  shadeSpan,
  timeAxis,
  withGaps,
} from './charts.js';
import { ChartBox } from './ChartBox.js';
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
        ctx.save();
        for (let i = 0; i < v.t.length; i++) {
          const next = i + 1 < v.t.length ? v.t[i + 1]! : store.now();
          const end = Math.min(next, v.t[i]! + MAX_GAP_S * 1000);
          ctx.fillStyle = TONE_COLOURS[statusTone(v.status[i]!, mode)].background;
          shadeSpan(u, v.t[i]! / 1000, end / 1000, 1);
        }
        ctx.fillStyle = mode === 'exam' ? 'rgba(217, 48, 37, 0.25)' : 'rgba(47, 111, 208, 0.2)';
        for (const a of store.alerts) {
          if (a.participantId !== id || a.kind !== 'proctor') continue;
          shadeSpan(u, a.startedAt / 1000, (a.endedAt ?? store.now()) / 1000, 2);
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
      ...baseOptions(el, HEIGHT, false),
      scales: { x: liveTimeScale(store.now), y: { range: [0, 1] } },
      axes: [timeAxis(), { size: 44, values: (_u, v) => v.map((x) => formatNumber(x, 1)) }],
      series: [{}, { label: t('chart.score'), stroke: '#202124', width: 2, spanGaps: false }],
      plugins: [bandsPlugin(store, id, mode, () => current), markersPlugin(() => store.markers)],
    };
    const { chart, destroy } = mountChart(opts, columns(current), el);
    const update = () => {
      current = mergeViews(history, store.series.get(id)?.view() ?? empty);
      chart.setData(columns(current));
    };
    const ctl = new AbortController();
    loadStudentHistory(sessionId, id, store.now(), ctl.signal)
      .then((h) => {
        history = h;
        update();
      })
      .catch(() => undefined); // live samples still show; history is a bonus
    const offSamples = store.subscribeSamples(id, update);
    const offAlerts = store.subscribe('alerts', () => chart.redraw(false, false));
    const offMarkers = store.subscribe('markers', () => chart.redraw(false, false));
    return () => {
      ctl.abort();
      offSamples();
      offAlerts();
      offMarkers();
      destroy();
    };
  }, [store, id, sessionId, mode, t, locale]);
  return <ChartBox ref={box} testId="student-timeline" label={t('chart.studentLabel')} />;
}
