/** uPlot helpers shared by the class and student timelines: marker lines with DOM labels, sizing. */
import type uPlot from 'uplot';
import type { Marker } from '@smartsession/protocol';

/**
 * A uPlot plugin that draws teacher markers as dashed vertical lines and puts a DOM label per marker
 * (`data-testid="timeline-marker"`) on the plot's overlay, so people can read them and tests can find them.
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
        const labels: HTMLElement[] = [];
        for (const m of markers) {
          const x = m.t / 1000;
          if (x < min || x > max) continue;
          const el = document.createElement('span');
          el.className = 'timeline-marker';
          el.dataset.testid = 'timeline-marker';
          el.dataset.label = m.label;
          el.textContent = m.label;
          el.style.left = `${u.valToPos(x, 'x')}px`;
          labels.push(el);
        }
        layer.replaceChildren(...labels);
      },
    },
  };
}

/** Keeps a uPlot chart as wide as its container. Returns the disconnect function. */
export function fitWidth(u: uPlot, container: HTMLElement, height: number): () => void {
  const ro = new ResizeObserver(() => {
    const w = Math.max(200, Math.floor(container.clientWidth));
    if (w !== u.width) u.setSize({ width: w, height });
  });
  ro.observe(container);
  return () => ro.disconnect();
}
