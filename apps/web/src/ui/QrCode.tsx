/**
 * A QR code drawn as SVG from the matrix `uqr` computes in the page (no image service, no CDN): one path of
 * dark modules, so it scales crisply from a corner of the dashboard to a projector.
 */
import { useMemo } from 'react';
import { encode } from 'uqr';

/** The path of the dark modules of `text`'s QR code, and its size in modules (quiet zone included). */
export function qrPath(text: string): { d: string; size: number } {
  const { data, size } = encode(text, { ecc: 'M', border: 2 });
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (data[y]![x]) d += `M${x} ${y}h1v1h-1z`;
  }
  return { d, size };
}

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
