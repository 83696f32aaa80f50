/**
 * JPEG header checks (pure, no decoding): the magic bytes and the frame size from the first SOF marker,
 * so that a frame too large in pixels or not a JPEG at all is refused before any decoder sees it.
 */

/** The first bytes of every JPEG file (SOI marker, then a marker's 0xFF). */
const JPEG_MAGIC = [0xff, 0xd8, 0xff] as const;

/** True when `bytes` start with the JPEG magic bytes. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && JPEG_MAGIC.every((b, i) => bytes[i] === b);
}

/** SOF markers that carry a frame size (baseline, progressive, lossless…; not DHT 0xC4, JPG 0xC8, DAC 0xCC). */
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Width and height of a JPEG from its frame header, or null when the header cannot be found or read. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (!isJpeg(bytes)) return null;
  let i = 2;
  while (i + 3 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    // Fill bytes, and markers without a length (RSTn, TEM).
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan before any frame header
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (length < 2) return null;
    if (isSof(marker)) {
      if (i + 8 >= bytes.length) return null;
      const height = (bytes[i + 5]! << 8) | bytes[i + 6]!;
      const width = (bytes[i + 7]! << 8) | bytes[i + 8]!;
      return width > 0 && height > 0 ? { width, height } : null;
    }
    i += 2 + length;
  }
  return null;
}
