/** The report's class timeline (uPlot): mean confusion score, confused and focused shares, markers, peaks. */
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ConfusionPeak, SessionReport } from '@smartsession/protocol';
import {
  baseOptions,
  markersPlugin,
  MIN_SPAN_S,
  mountChart,
  shadeSpan,
  timeAxis,
} from '../dashboard/charts.js';
import { ChartBox } from '../dashboard/ChartBox.js';
import { statusWord, TONE_COLOURS } from '../shared/status.js';
import { formatNumber, formatPercent, useI18n } from '../i18n/i18n.js';
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
        for (const p of peaks) shadeSpan(u, p.startedAt / 1000, p.endedAt / 1000, 2);
        ctx.restore();
      },
    },
  };
}

/** The chart (`data-testid="report-timeline"`). */
export function ReportTimeline({ report }: { report: SessionReport }) {
  const { t, locale } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const start = report.startedAt / 1000;
    const end = Math.max((report.endedAt ?? report.generatedAt) / 1000, start + MIN_SPAN_S);
    const pct = (v: number | null) => (v === null ? '–' : formatPercent(v));
    const opts: uPlot.Options = {
      ...baseOptions(el, HEIGHT, true),
      // The whole session, however short.
      scales: { x: { time: true, range: [start, end] }, y: { range: [0, 1] } },
      axes: [timeAxis(), { values: (_u, v) => v.map((x) => formatPercent(x)), size: 52 }],
      series: [
        {},
        {
          label: t('chart.meanScore'),
          stroke: '#7b1fa2',
          width: 2,
          value: (_u, v) => (v === null ? '–' : formatNumber(v)),
        },
        {
          label: statusWord(t, 'confused', report.mode),
          stroke: TONE_COLOURS.yellow.colour,
          width: 2,
          value: (_u, v) => pct(v),
        },
        {
          label: statusWord(t, 'focused', report.mode),
          stroke: TONE_COLOURS.green.colour,
          width: 1.5,
          value: (_u, v) => pct(v),
        },
      ],
      plugins: [markersPlugin(() => report.class.markers), peaksPlugin(report.class.peaks)],
    };
    return mountChart(opts, timelineColumns(report) as uPlot.AlignedData, el).destroy;
  }, [report, t, locale]);
  return (
    <ChartBox
      ref={box}
      testId="report-timeline"
      label={t('chart.reportLabel')}
      className="chart report-chart"
    />
  );
}
