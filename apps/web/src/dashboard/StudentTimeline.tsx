/** One student's timeline (uPlot): confusion score with status bands, alert spans and teacher markers. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { DashboardStore } from './store.js';
import { fitWidth, markersPlugin } from './charts.js';
import { STATUS_LOOK } from '../shared/status.js';
import type { SeriesView } from './series.js';
import { loadStudentHistory, mergeViews } from './history.js';

const HEIGHT = 160;

function columns(v: SeriesView): uPlot.AlignedData {
  return [v.t.map((t) => t / 1000), v.score];
}

/** Background bands per status run and red spans for this student's alerts. */
function bandsPlugin(store: DashboardStore, id: string, view: () => SeriesView): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u) => {
        const v = view();
        const ctx = u.ctx;
        const top = u.bbox.top;
        const h = u.bbox.height;
        ctx.save();
        for (let i = 0; i < v.t.length; i++) {
          const x0 = u.valToPos(v.t[i] / 1000, 'x', true);
          const x1 =
            i + 1 < v.t.length ? u.valToPos(v.t[i + 1] / 1000, 'x', true) : u.bbox.left + u.bbox.width;
          ctx.fillStyle = STATUS_LOOK[v.status[i]].background;
          ctx.fillRect(x0, top, Math.max(1, x1 - x0), h);
        }
        ctx.fillStyle = 'rgba(217, 48, 37, 0.25)';
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
}: {
  store: DashboardStore;
  id: string;
  sessionId: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const empty: SeriesView = { t: [], score: [], status: [] };
    let history = empty;
    let current: SeriesView = store.series.get(id)?.view() ?? empty;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: [0, 1] } },
      axes: [{}, { size: 40 }],
      series: [{}, { label: 'Confusion score', stroke: '#202124', width: 2, spanGaps: false }],
      plugins: [bandsPlugin(store, id, () => current), markersPlugin(() => store.markers)],
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
  }, [store, id, sessionId]);
  return <div ref={box} className="chart" data-testid="student-timeline" />;
}
