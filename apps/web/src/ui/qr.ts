/** QR code geometry (pure): the SVG path of a text's QR code, computed here by `uqr` (no service, no CDN). */
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
