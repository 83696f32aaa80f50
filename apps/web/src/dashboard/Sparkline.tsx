/** Confusion-score sparkline of one student on a canvas, redrawn only when that student's samples arrive. */
import { memo, useEffect, useRef } from 'react';
import type { DashboardStore } from './store.js';
import { STATUS_LOOK } from '../shared/status.js';

/** The sparkline spans the last 2 minutes, or less while a student has been here for less. */
const MAX_WINDOW_MS = 120_000;
const MIN_WINDOW_MS = 20_000;

function draw(canvas: HTMLCanvasElement, store: DashboardStore, id: string): void {
  const ctx = canvas.getContext('2d');
  const series = store.series.get(id);
  if (!ctx) return;
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  // 0.5 line: where "confused" usually starts.
  ctx.fillStyle = '#e3e6ea';
  ctx.fillRect(0, Math.round(h / 2), w, 1);
  if (!series || series.length === 0) return;
  const end = Math.max(store.now(), series.lastT);
  const span = Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, end - series.firstT));
  const start = end - span;
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#5f6368';
  ctx.beginPath();
  let pen = false;
  series.forEachSince(start, (t, score, status) => {
    if (Number.isNaN(score)) {
      pen = false;
      return;
    }
    const x = ((t - start) / span) * w;
    const y = h - 1 - score * (h - 2);
    if (pen) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    pen = true;
    if (status === 'alert') {
      ctx.fillStyle = STATUS_LOOK.alert.colour;
      ctx.fillRect(x - 1, 0, 2, 3);
    }
  });
  ctx.stroke();
}

/** The sparkline canvas (`data-testid="sparkline"`). */
export const Sparkline = memo(function Sparkline({ store, id }: { store: DashboardStore; id: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    draw(canvas, store, id);
    return store.subscribeSamples(id, () => draw(canvas, store, id));
  }, [store, id]);
  return (
    <canvas ref={ref} className="sparkline" width={120} height={28} data-testid="sparkline" aria-hidden />
  );
});
