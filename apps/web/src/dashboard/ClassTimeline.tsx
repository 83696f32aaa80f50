/**
 * Class timeline (uPlot): share of students focused / confused / needing a look over time, "I'm lost"
 * count, markers. Moments with nobody connected are gaps, not zeros or lines across.
 */
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SessionMode } from '@smartsession/protocol';
import type { DashboardStore } from './store.js';
import type { ClassPoint } from './aggregate.js';
import { baseOptions, liveTimeScale, markersPlugin, mountChart, timeAxis, withGaps } from './charts.js';
import { ChartBox } from './ChartBox.js';
import { statusTone, statusWord, TONE_COLOURS } from '../shared/status.js';
import { formatPercent, useI18n } from '../i18n/i18n.js';

const HEIGHT = 180;
/** Class points are one a second: a longer silence (a reload, the page asleep) is a gap. */
const MAX_GAP_S = 5;

/** Chart columns from class points: time in seconds, shares in percent, lost count; null with nobody connected. */
export function classColumns(points: readonly ClassPoint[]): uPlot.AlignedData {
  const n = points.length;
  const t = new Array<number>(n);
  const f = new Array<number | null>(n);
  const c = new Array<number | null>(n);
  const a = new Array<number | null>(n);
  const l = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    const here = p.present > 0;
    t[i] = p.t / 1000;
    f[i] = here ? p.focused * 100 : null;
    c[i] = here ? p.confused * 100 : null;
    a[i] = here ? p.alert * 100 : null;
    l[i] = here ? p.lost : null;
  }
  return withGaps([t, f, c, a, l], MAX_GAP_S) as uPlot.AlignedData;
}

/** The class timeline panel (`data-testid="class-timeline"`). */
export function ClassTimeline({ store, mode }: { store: DashboardStore; mode: SessionMode }) {
  const { t, locale } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const pct = (v: number | null) => (v === null ? '–' : formatPercent(v / 100));
    const line = (status: 'focused' | 'confused' | 'alert'): uPlot.Series => ({
      label: statusWord(t, status, mode),
      scale: 'pct',
      stroke: TONE_COLOURS[statusTone(status, mode)].colour,
      width: 2,
      value: (_u, v) => pct(v),
    });
    const opts: uPlot.Options = {
      ...baseOptions(el, HEIGHT, true),
      scales: {
        x: liveTimeScale(store.now),
        pct: { range: [0, 100] },
        n: { range: (_u, _min, max) => [0, Math.max(3, max)] },
      },
      axes: [
        timeAxis(),
        { scale: 'pct', values: (_u, v) => v.map((x) => formatPercent(x / 100)), size: 52 },
        { scale: 'n', side: 1, grid: { show: false }, size: 36, label: t('chart.lostAxis'), labelSize: 16 },
      ],
      series: [
        {},
        line('focused'),
        line('confused'),
        line('alert'),
        { label: t('chart.lost'), scale: 'n', stroke: '#7b1fa2', width: 1.5, dash: [5, 4] },
      ],
      plugins: [markersPlugin(() => store.markers)],
    };
    const { chart, destroy } = mountChart(opts, classColumns(store.classPoints), el);
    const offClass = store.subscribe('class', () => chart.setData(classColumns(store.classPoints)));
    const offMarkers = store.subscribe('markers', () => chart.redraw(false, false));
    return () => {
      offClass();
      offMarkers();
      destroy();
    };
  }, [store, mode, t, locale]);
  return <ChartBox ref={box} testId="class-timeline" label={t('chart.classLabel')} />;
}
