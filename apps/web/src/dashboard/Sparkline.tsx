/**
 * Confusion-score sparkline of one student, redrawn only when that student's samples arrive and the tile is
 * on screen. An SVG
 * polyline updated in place: unlike 300 canvases it adds no compositing layers, which kept Chromium's
 * layerization busy on every frame (see apps/web/bench/dashboard.bench.ts).
 */
import { memo, useEffect, useRef } from 'react';
import type { DashboardStore } from './store.js';
import { sparklinePoints } from './sparkline-path.js';

const W = 120;
const H = 28;

// Off-screen sparklines are not redrawn, only marked stale, and drawn when they come into view. Whether a
// tile is on screen comes from its own `content-visibility: auto` (the event Chromium fires when it starts
// or stops skipping the tile's contents), so no IntersectionObserver has to track 300 targets each frame.
// Until the first event a sparkline counts as on screen (drawn: correct, just not skipped).
const visible = new WeakMap<Element, { on: boolean; stale: boolean; draw: () => void }>();

const VISIBILITY_EVENT = 'contentvisibilityautostatechange';

function observe(el: Element, draw: () => void): () => void {
  const v = { on: true, stale: true, draw };
  visible.set(el, v);
  const holder = el.closest('.tile') ?? el;
  const onChange = (e: Event) => {
    v.on = !(e as Event & { skipped?: boolean }).skipped;
    if (v.on && v.stale) {
      v.stale = false;
      v.draw();
    }
  };
  holder.addEventListener(VISIBILITY_EVENT, onChange);
  request(el);
  return () => {
    holder.removeEventListener(VISIBILITY_EVENT, onChange);
    visible.delete(el);
  };
}

/** Draws now when on screen, else marks the sparkline stale. */
function request(el: Element): void {
  const v = visible.get(el);
  if (!v) return;
  if (v.on) {
    v.stale = false;
    v.draw();
  } else v.stale = true;
}

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
    const svg = el.ownerSVGElement ?? el;
    const stop = observe(svg, draw);
    const off = store.subscribeSamples(id, () => request(svg));
    return () => {
      off();
      stop();
    };
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
