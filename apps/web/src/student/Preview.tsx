/** The student's own camera preview (mirrored) with an optional face box / mesh overlay. */
import { useEffect, useRef, type Ref } from 'react';
import type { Overlay } from '@smartsession/engine';
import { formatPercent, useI18n } from '../i18n/i18n.js';

export function Preview({
  ref,
  overlay,
  calibration,
}: {
  ref: Ref<HTMLVideoElement>;
  overlay: Overlay | null;
  calibration: { active: boolean; progress: number };
}) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => drawOverlay(canvas.current, overlay), [overlay]);
  return (
    <div className="preview">
      <video
        ref={ref}
        className="preview-video"
        data-testid="student-preview"
        muted
        playsInline
        autoPlay
        aria-label={t('student.preview')}
      />
      <canvas ref={canvas} className="preview-overlay" aria-hidden="true" />
      {calibration.active && (
        <div data-testid="student-calibrating" className="preview-calibrating" role="status">
          {t('student.calibrating', { progress: formatPercent(calibration.progress) })}
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
