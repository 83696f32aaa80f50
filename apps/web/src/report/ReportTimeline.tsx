/** The report's class timeline (uPlot): mean confusion score, confused and focused shares, markers, peaks. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ConfusionPeak, SessionReport } from '@smartsession/protocol';
import { fitWidth, markersPlugin } from '../dashboard/charts.js';
import { STATUS_LOOK } from '../shared/status.js';
import { timelineColumns } from './format.js';

const HEIGHT = 220;

/** Shades each confusion peak's stretch of time. */
function peaksPlugin(peaks: readonly ConfusionPeak[]): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.fillStyle = 'rgba(217, 164, 0, 0.16)';
        for (const p of peaks) {
          const a = u.valToPos(p.startedAt / 1000, 'x', true);
          const b = u.valToPos(p.endedAt / 1000, 'x', true);
          ctx.fillRect(a, u.bbox.top, Math.max(2, b - a), u.bbox.height);
        }
        ctx.restore();
      },
    },
  };
}

/** The chart (`data-testid="report-timeline"`). */
export function ReportTimeline({ report }: { report: SessionReport }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const end = report.endedAt ?? report.generatedAt;
    const pct = (v: number | null) => (v === null ? '' : `${Math.round(v * 100)}%`);
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // The whole session, however few buckets it has.
        x: { time: true, range: [report.startedAt / 1000, Math.max(end, report.startedAt + 1000) / 1000] },
        y: { range: [0, 1] },
      },
      axes: [{}, { values: (_u, v) => v.map((x) => `${Math.round(x * 100)}%`), size: 48 }],
      series: [
        {},
        {
          label: 'Mean confusion score',
          stroke: '#7b1fa2',
          width: 2,
          value: (_u, v) => (v === null ? '' : v.toFixed(2)),
        },
        { label: 'Confused', stroke: STATUS_LOOK.confused.colour, width: 2, value: (_u, v) => pct(v) },
        { label: 'Focused', stroke: STATUS_LOOK.focused.colour, width: 1.5, value: (_u, v) => pct(v) },
      ],
      plugins: [markersPlugin(() => report.class.markers), peaksPlugin(report.class.peaks)],
    };
    const u = new uPlot(opts, timelineColumns(report) as uPlot.AlignedData, el);
    const stop = fitWidth(u, el, HEIGHT);
    return () => {
      stop();
      u.destroy();
    };
  }, [report]);
  return <div ref={box} className="chart report-chart" data-testid="report-timeline" />;
}
