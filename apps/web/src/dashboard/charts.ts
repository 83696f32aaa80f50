/**
 * uPlot helpers shared by the class, student and report timelines (the only place their common options
 * live): base options, time axes that read well at any duration (at least a minute wide, localised clock
 * labels spaced so they never touch), gaps drawn as gaps, shaded spans, teacher markers as dashed lines
 * with labels that stay inside the chart, and mounting a chart that follows its container's width.
 */
import uPlot from 'uplot';
import type { Marker } from '@smartsession/protocol';
import { formatClock, formatShortTime } from '../i18n/i18n.js';

/** Shortest time span a chart shows, seconds: a lone sample or an empty chart still gets a sane axis. */
export const MIN_SPAN_S = 60;

/**
 * The x range of a live chart in seconds: from the first point to now, at least {@link MIN_SPAN_S} wide
 * (ending at `nowS`); with no data, the last minute.
 */
export function liveRange(first: number | undefined, nowS: number, minSpanS = MIN_SPAN_S): [number, number] {
  const end = nowS;
  const start = first === undefined ? end - minSpanS : Math.min(first, end - minSpanS);
  return [start, end];
}

/**
 * Aligned columns with a null row inserted wherever two consecutive times are more than `maxGapS` apart,
 * so uPlot draws a gap (nobody connected, a reload) instead of a line across it. `cols[0]` is time (s).
 */
export function withGaps(cols: (number | null)[][], maxGapS: number): (number | null)[][] {
  const t = cols[0] as number[];
  const out = cols.map(() => [] as (number | null)[]);
  for (let i = 0; i < t.length; i++) {
    if (i > 0 && t[i]! - t[i - 1]! > maxGapS) {
      out[0]!.push(t[i - 1]! + maxGapS / 2);
      for (let c = 1; c < cols.length; c++) out[c]!.push(null);
    }
    for (let c = 0; c < cols.length; c++) out[c]!.push(cols[c]![i] ?? null);
  }
  return out;
}

/** Minimum pixels between two time labels. */
const TIME_LABEL_SPACE = 90;

/**
 * An x axis of clock times in the page's language: hours and minutes, seconds when ticks are closer than a
 * minute. The labels drawn are also written to the chart's `data-x-labels` (`|`-separated) and the x range
 * to `data-x-span` (seconds), so people-facing checks can read what the canvas shows.
 */
export function timeAxis(): uPlot.Axis {
  return {
    space: TIME_LABEL_SPACE,
    values: (u, splits, _axis, _space, incr) => {
      const labels = splits.map((s) => (incr < 60 ? formatClock(s * 1000) : formatShortTime(s * 1000)));
      const root = u.root.parentElement;
      if (root) {
        root.dataset.xLabels = labels.join('|');
        root.dataset.xSpan = String(Math.round((u.scales.x.max ?? 0) - (u.scales.x.min ?? 0)));
      }
      return labels;
    },
  };
}

/** Widest a marker label may be, px; longer ones are cut with an ellipsis (full text in its title). */
const MARKER_LABEL_MAX = 160;

/**
 * A uPlot plugin that draws teacher markers as dashed vertical lines and puts a DOM label per marker
 * (`data-testid="timeline-marker"`) on the plot's overlay, so people can read them and tests can find them.
 * Labels stay inside the plot: near the right edge they hang to the left of their line, long ones are cut,
 * and labels that would overlap go on the next row (three rows, then they share the last).
 */
export function markersPlugin(getMarkers: () => readonly Marker[]): uPlot.Plugin {
  let layer: HTMLDivElement | null = null;
  return {
    hooks: {
      init: (u) => {
        layer = document.createElement('div');
        layer.className = 'marker-layer';
        u.over.appendChild(layer);
      },
      draw: (u) => {
        const ctx = u.ctx;
        const markers = getMarkers();
        const [min, max] = [u.scales.x.min ?? 0, u.scales.x.max ?? 0];
        ctx.save();
        ctx.strokeStyle = '#3367d6';
        ctx.setLineDash([4, 3]);
        ctx.lineWidth = 1.5 * devicePixelRatio;
        for (const m of markers) {
          const x = m.t / 1000;
          if (x < min || x > max) continue;
          const px = Math.round(u.valToPos(x, 'x', true));
          ctx.beginPath();
          ctx.moveTo(px, u.bbox.top);
          ctx.lineTo(px, u.bbox.top + u.bbox.height);
          ctx.stroke();
        }
        ctx.restore();
        if (!layer) return;
        const width = u.over.clientWidth || u.bbox.width / devicePixelRatio;
        const rowsEnd: number[] = [];
        const labels: HTMLElement[] = [];
        for (const m of markers) {
          const x = m.t / 1000;
          if (x < min || x > max) continue;
          const px = u.valToPos(x, 'x');
          const w = Math.min(MARKER_LABEL_MAX, 12 + m.label.length * 6.5);
          const flip = px + 4 + w > width;
          const left = flip ? px - 4 - w : px + 4;
          let row = rowsEnd.findIndex((end) => end < left);
          if (row === -1) row = rowsEnd.length < 3 ? rowsEnd.length : 2;
          rowsEnd[row] = Math.max(rowsEnd[row] ?? -Infinity, left + w);
          const el = document.createElement('span');
          el.className = flip ? 'timeline-marker flip' : 'timeline-marker';
          el.dataset.testid = 'timeline-marker';
          el.dataset.label = m.label;
          el.textContent = m.label;
          el.title = m.label;
          el.style.left = `${Math.max(0, left)}px`;
          el.style.top = `${row * 1.3}em`;
          el.style.maxWidth = `${MARKER_LABEL_MAX}px`;
          labels.push(el);
        }
        layer.replaceChildren(...labels);
      },
    },
  };
}

/** What every timeline shares: its container's width, a fixed height, no drag-to-zoom, a static legend or none. */
export function baseOptions(
  el: HTMLElement,
  height: number,
  legend: boolean,
): Pick<uPlot.Options, 'width' | 'height' | 'legend' | 'cursor'> {
  return {
    width: startWidth(el),
    height,
    legend: legend ? { show: true, live: false } : { show: false },
    cursor: { drag: { x: false, y: false } },
  };
}

/** The x scale of a live chart (seconds): from its first point to the later of now and its last point. */
export function liveTimeScale(nowMs: () => number): uPlot.Scale {
  return {
    time: true,
    range: (u) => liveRange(u.data[0][0], Math.max(nowMs() / 1000, u.data[0].at(-1) ?? 0)),
  };
}

/** Fills the plot's full height from `fromS` to `toS` (seconds) in the current fill style, at least `minPx` wide. */
export function shadeSpan(u: uPlot, fromS: number, toS: number, minPx: number): void {
  const x0 = u.valToPos(fromS, 'x', true);
  const x1 = u.valToPos(toS, 'x', true);
  u.ctx.fillRect(x0, u.bbox.top, Math.max(minPx, x1 - x0), u.bbox.height);
}

/** Draws a chart in `el` that keeps its container's width. Returns the chart and its teardown. */
export function mountChart(
  opts: uPlot.Options,
  data: uPlot.AlignedData,
  el: HTMLElement,
): { chart: uPlot; destroy: () => void } {
  const chart = new uPlot(opts, data, el);
  const stopFit = fitWidth(chart, el, opts.height);
  return {
    chart,
    destroy: () => {
      stopFit();
      chart.destroy();
    },
  };
}

/** Keeps a uPlot chart as wide as its container. Returns the disconnect function. */
function fitWidth(u: uPlot, container: HTMLElement, height: number): () => void {
  const ro = new ResizeObserver(() => {
    const w = Math.max(200, Math.floor(container.clientWidth));
    if (w !== u.width) u.setSize({ width: w, height });
  });
  ro.observe(container);
  return () => ro.disconnect();
}

/** Width a chart starts at: its container's, at least 200 px. */
function startWidth(el: HTMLElement): number {
  return Math.max(200, Math.floor(el.clientWidth));
}
