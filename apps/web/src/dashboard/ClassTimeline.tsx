/** Class timeline (uPlot): share of students focused / confused / alert over time, "I'm lost" count, markers. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DashboardStore } from './store.js';
import type { ClassPoint } from './aggregate.js';
import { fitWidth, markersPlugin } from './charts.js';
import { STATUS_LOOK } from '../shared/status.js';

const HEIGHT = 180;

/** Chart columns from class points: time in seconds, shares in percent, lost count. */
export function classColumns(points: readonly ClassPoint[]): uPlot.AlignedData {
  const n = points.length;
  const t = new Array<number>(n);
  const f = new Array<number>(n);
  const c = new Array<number>(n);
  const a = new Array<number>(n);
  const l = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const p = points[i];
    t[i] = p.t / 1000;
    f[i] = p.focused * 100;
    c[i] = p.confused * 100;
    a[i] = p.alert * 100;
    l[i] = p.lost;
  }
  return [t, f, c, a, l];
}

/** The class timeline panel (`data-testid="class-timeline"`). */
export function ClassTimeline({ store }: { store: DashboardStore }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const pct = (v: number | null) => (v === null ? '' : `${Math.round(v)}%`);
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true },
        pct: { range: [0, 100] },
        n: { range: (_u, _min, max) => [0, Math.max(3, max)] },
      },
      axes: [
        {},
        { scale: 'pct', values: (_u, v) => v.map((x) => `${x}%`), size: 48 },
        { scale: 'n', side: 1, grid: { show: false }, size: 36 },
      ],
      series: [
        {},
        {
          label: 'Focused',
          scale: 'pct',
          stroke: STATUS_LOOK.focused.colour,
          width: 2,
          value: (_u, v) => pct(v),
        },
        {
          label: 'Confused',
          scale: 'pct',
          stroke: STATUS_LOOK.confused.colour,
          width: 2,
          value: (_u, v) => pct(v),
        },
        {
          label: 'Proctor Alert',
          scale: 'pct',
          stroke: STATUS_LOOK.alert.colour,
          width: 2,
          value: (_u, v) => pct(v),
        },
        { label: "I'm lost (count)", scale: 'n', stroke: '#7b1fa2', width: 1.5, dash: [5, 4] },
      ],
      plugins: [markersPlugin(() => store.markers)],
    };
    const u = new uPlot(opts, classColumns(store.classPoints), el);
    const stopFit = fitWidth(u, el, HEIGHT);
    const offClass = store.subscribe('class', () => u.setData(classColumns(store.classPoints)));
    const offMarkers = store.subscribe('markers', () => u.redraw(false, false));
    return () => {
      offClass();
      offMarkers();
      stopFit();
      u.destroy();
    };
  }, [store]);
  return <div ref={box} className="chart" data-testid="class-timeline" />;
}
