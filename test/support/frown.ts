/**
 * A synthetic frown (facial action unit 4, brows lowered and drawn together) made from a real relaxed
 * photo by warping its pixels along the face's own mesh: no real photo pair of one face relaxed and
 * frowning is available here (see ../shared/devset/README.md), so this is the documented stand-in.
 *
 * How: each inner brow point (the mean of mesh points 107+55, 336+285, located by the engine on the
 * relaxed frame) is moved down by `lower` × its height above the inner eye corner (133, 362) and towards
 * the face's midline by `knit` × half the inner-brow gap. The displacement spreads to the surrounding
 * skin with an elliptical Gaussian fall-off (σ 0.25 inter-ocular distances across, 0.12 up/down), so the
 * whole brow moves, its inner end most, and the eyes below (about 0.33 inter-ocular distances lower) move
 * by 2% of it or less. Pixels are resampled backwards (each output pixel reads the source at its
 * position minus the displacement, solved by fixed-point iteration) with bilinear interpolation. Real
 * frowns also crease the skin between the brows; the warp does not draw creases, so it tests the
 * geometry the engine measures, not a detector of wrinkles.
 */
import type { RgbFrame } from './faces.js';

/** Mesh points used (Human's 478-point mesh; ids documented in packages/engine/README.md). */
const IDS = {
  rightBrow: [107, 55],
  leftBrow: [336, 285],
  rightEyeInner: 133,
  leftEyeInner: 362,
  rightEyeOuter: 33,
  leftEyeOuter: 263,
} as const;

/** How strong a frown to draw. */
export interface FrownOptions {
  /** Share of the inner brow's height above the inner eye corner it moves down (default 0.3: a hard frown). */
  lower?: number;
  /** Share of half the inner-brow gap each inner brow moves towards the midline (default 0.15). */
  knit?: number;
}

type XY = [number, number];

const mean = (pts: XY[]): XY => [
  pts.reduce((s, p) => s + p[0], 0) / pts.length,
  pts.reduce((s, p) => s + p[1], 0) / pts.length,
];

/**
 * Warps `frame` (RGB) into the same face frowning. `mesh` holds the face's landmarks in pixels of this
 * frame (`[x, y]` per point, 478 points), e.g. from the engine's overlay on the relaxed frame.
 */
export function frownWarp(
  frame: RgbFrame,
  mesh: readonly (readonly number[])[],
  opts: FrownOptions = {},
): RgbFrame {
  const lower = opts.lower ?? 0.3;
  const knit = opts.knit ?? 0.15;
  const at = (i: number): XY => {
    const p = mesh[i];
    if (!p) throw new Error(`mesh has no point ${i}`);
    return [p[0] ?? 0, p[1] ?? 0];
  };
  const rBrow = mean(IDS.rightBrow.map(at));
  const lBrow = mean(IDS.leftBrow.map(at));
  const rEye = at(IDS.rightEyeInner);
  const lEye = at(IDS.leftEyeInner);
  const rCentre = mean([at(IDS.rightEyeOuter), rEye]);
  const lCentre = mean([at(IDS.leftEyeOuter), lEye]);
  const iod = Math.hypot(lCentre[0] - rCentre[0], lCentre[1] - rCentre[1]);
  const mid = mean([rBrow, lBrow]);
  // Down = perpendicular to the eye line, pointing away from the brows.
  const ex = (lEye[0] - rEye[0]) / (Math.hypot(lEye[0] - rEye[0], lEye[1] - rEye[1]) || 1);
  const ey = (lEye[1] - rEye[1]) / (Math.hypot(lEye[0] - rEye[0], lEye[1] - rEye[1]) || 1);
  const down: XY = [-ey, ex];
  const bumps = [
    { c: rBrow, eye: rEye },
    { c: lBrow, eye: lEye },
  ].map(({ c, eye }) => {
    const height = (eye[0] - c[0]) * down[0] + (eye[1] - c[1]) * down[1];
    const toMid: XY = [mid[0] - c[0], mid[1] - c[1]];
    return {
      c,
      v: [down[0] * height * lower + toMid[0] * knit, down[1] * height * lower + toMid[1] * knit] as XY,
    };
  });
  const sx = 0.25 * iod;
  const sy = 0.12 * iod;
  const displacement = (x: number, y: number): XY => {
    let dx = 0;
    let dy = 0;
    for (const b of bumps) {
      const rx = x - b.c[0];
      const ry = y - b.c[1];
      // Along / across the eye line.
      const a = rx * ex + ry * ey;
      const c = rx * down[0] + ry * down[1];
      const w = Math.exp(-0.5 * ((a / sx) ** 2 + (c / sy) ** 2));
      dx += w * b.v[0];
      dy += w * b.v[1];
    }
    return [dx, dy];
  };
  const { width, height, data } = frame;
  const out = new Uint8Array(data);
  const reach = 4 * Math.max(sx, sy) + Math.hypot(...bumps[0]!.v);
  const x0 = Math.max(0, Math.floor(Math.min(rBrow[0], lBrow[0]) - reach));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(rBrow[0], lBrow[0]) + reach));
  const y0 = Math.max(0, Math.floor(Math.min(rBrow[1], lBrow[1]) - reach));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(rBrow[1], lBrow[1]) + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      // Source q with q + D(q) = (x, y).
      let qx = x;
      let qy = y;
      for (let k = 0; k < 4; k++) {
        const [dx, dy] = displacement(qx, qy);
        qx = x - dx;
        qy = y - dy;
      }
      const fx = Math.min(width - 1.001, Math.max(0, qx));
      const fy = Math.min(height - 1.001, Math.max(0, qy));
      const ix = Math.floor(fx);
      const iy = Math.floor(fy);
      const tx = fx - ix;
      const ty = fy - iy;
      for (let ch = 0; ch < 3; ch++) {
        const p = (yy: number, xx: number): number => data[(yy * width + xx) * 3 + ch] ?? 0;
        const v =
          p(iy, ix) * (1 - tx) * (1 - ty) +
          p(iy, ix + 1) * tx * (1 - ty) +
          p(iy + 1, ix) * (1 - tx) * ty +
          p(iy + 1, ix + 1) * tx * ty;
        out[(y * width + x) * 3 + ch] = Math.round(v);
      }
    }
  }
  return { ...frame, data: out };
}
