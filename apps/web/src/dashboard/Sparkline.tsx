/**
 * Confusion-score sparkline of one student, redrawn only when that student's samples arrive. An SVG
 * polyline updated in place: unlike 300 canvases it adds no compositing layers, which kept Chromium's
 * layerization busy on every frame (see apps/web/bench/dashboard.bench.ts).
 */
import { memo, useEffect, useRef } from 'react';
import type { DashboardStore } from './store.js';
import { sparklinePoints } from './sparkline-path.js';

const W = 120;
const H = 28;

/** The sparkline (`data-testid="sparkline"`). */
export const Sparkline = memo(function Sparkline({ store, id }: { store: DashboardStore; id: string }) {
  const line = useRef<SVGPolylineElement>(null);
  useEffect(() => {
    const el = line.current;
    if (!el) return;
    const draw = () => {
      const series = store.series.get(id);
      el.setAttribute('points', series ? sparklinePoints(series, store.now(), W, H) : '');
    };
    draw();
    return store.subscribeSamples(id, draw);
  }, [store, id]);
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      data-testid="sparkline"
      aria-hidden
    >
      <line x1={0} x2={W} y1={H / 2} y2={H / 2} className="sparkline-mid" />
      <polyline ref={line} className="sparkline-line" />
    </svg>
  );
});
