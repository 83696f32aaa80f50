/**
 * A QR code drawn as SVG from the matrix `uqr` computes in the page (no image service, no CDN): one path of
 * dark modules, so it scales crisply from a corner of the dashboard to a projector.
 */
import { useMemo } from 'react';
import { qrPath } from './qr.js';

/** The QR code of `text` (`role="img"` with `label` as its accessible name). */
export function QrCode({ text, label, className }: { text: string; label: string; className?: string }) {
  const { d, size } = useMemo(() => qrPath(text), [text]);
  return (
    <svg
      className={`qr ${className ?? ''}`}
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      data-testid="join-qr"
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} className="qr-light" />
      <path d={d} className="qr-dark" />
    </svg>
  );
}
