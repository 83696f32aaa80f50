/** The student's own camera preview (mirrored) with an optional face box / mesh overlay. */
import { useEffect, useRef, type Ref } from 'react';
import type { Overlay } from '@smartsession/engine';

export function Preview({
  ref,
  overlay,
  calibration,
}: {
  ref: Ref<HTMLVideoElement>;
  overlay: Overlay | null;
  calibration: { active: boolean; progress: number };
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => drawOverlay(canvas.current, overlay), [overlay]);
  return (
    <div
      style={{
        position: 'relative',
        width: '100%',
        maxWidth: 480,
        aspectRatio: '4 / 3',
        background: '#202124',
      }}
    >
      <video
        ref={ref}
        data-testid="student-preview"
        muted
        playsInline
        autoPlay
        style={{ width: '100%', height: '100%', objectFit: 'contain', transform: 'scaleX(-1)' }}
      />
      <canvas
        ref={canvas}
        style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', transform: 'scaleX(-1)' }}
      />
      {calibration.active && (
        <div
          data-testid="student-calibrating"
          style={{
            position: 'absolute',
            left: 0,
            right: 0,
            bottom: 0,
            padding: '0.5rem',
            background: 'rgba(32,33,36,0.75)',
            color: '#fff',
            textAlign: 'center',
          }}
        >
          Calibrating: look at the screen as you normally would… {Math.round(calibration.progress * 100)}%
        </div>
      )}
    </div>
  );
}

function drawOverlay(c: HTMLCanvasElement | null, o: Overlay | null): void {
  const ctx = c?.getContext('2d');
  if (!c || !ctx) return;
  const w = c.clientWidth || 480;
  const h = c.clientHeight || 360;
  if (c.width !== w || c.height !== h) {
    c.width = w;
    c.height = h;
  }
  ctx.clearRect(0, 0, w, h);
  if (!o) return;
  ctx.strokeStyle = '#34a853';
  ctx.lineWidth = 2;
  for (const [x, y, bw, bh] of o.boxes) ctx.strokeRect(x * w, y * h, bw * w, bh * h);
  if (!o.mesh) return;
  ctx.fillStyle = 'rgba(138, 180, 248, 0.8)';
  for (let i = 0; i + 1 < o.mesh.length; i += 2)
    ctx.fillRect(o.mesh[i]! * w - 1, o.mesh[i + 1]! * h - 1, 2, 2);
}
