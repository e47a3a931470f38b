import type { FeatureMap } from './featureMap';

/**
 * The camera's motion between two frames as one global shift of their feature maps: every
 * integer cell shift is scored by the correlation of the overlapping maps (a border left out,
 * where padding lives), then refined to sub-cell by a parabola through the best and its
 * neighbours. Moving objects are a small part of the picture and barely move the peak.
 */
export interface Shift {
  /** Video px: a point at p in `a` is at p + (dx, dy) in `b`. */
  dx: number;
  dy: number;
  /** Correlation at the peak, in [-1, 1]. */
  confidence: number;
}

const BORDER = 1;

function corr(a: FeatureMap, b: FeatureMap, sx: number, sy: number): number {
  const { width: w, height: h, channels: C } = a;
  const plane = w * h;
  const x0 = Math.max(BORDER, BORDER - sx);
  const x1 = Math.min(w - BORDER, w - BORDER - sx);
  const y0 = Math.max(BORDER, BORDER - sy);
  const y1 = Math.min(h - BORDER, h - BORDER - sy);
  if (x1 - x0 < 2 || y1 - y0 < 2) return -1;
  let sa = 0, sb = 0, n = 0;
  for (let c = 0; c < C; c++)
    for (let y = y0; y < y1; y++) {
      const ra = c * plane + y * w;
      const rb = c * plane + (y + sy) * w + sx;
      for (let x = x0; x < x1; x++) {
        sa += a.data[ra + x]!;
        sb += b.data[rb + x]!;
        n++;
      }
    }
  const ma = sa / n;
  const mb = sb / n;
  let ab = 0, aa = 0, bb = 0;
  for (let c = 0; c < C; c++)
    for (let y = y0; y < y1; y++) {
      const ra = c * plane + y * w;
      const rb = c * plane + (y + sy) * w + sx;
      for (let x = x0; x < x1; x++) {
        const va = a.data[ra + x]! - ma;
        const vb = b.data[rb + x]! - mb;
        ab += va * vb;
        aa += va * va;
        bb += vb * vb;
      }
    }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : -1;
}

/** Offset of a parabola's vertex through (-1, l), (0, c), (1, r), within ±0.5. */
function vertex(l: number, c: number, r: number): number {
  const d = l - 2 * c + r;
  if (d >= 0) return 0;
  return Math.max(-0.5, Math.min(0.5, (l - r) / (2 * d)));
}

export function globalShift(a: FeatureMap, b: FeatureMap, maxShiftCells = 4): Shift {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) return { dx: 0, dy: 0, confidence: 0 };
  const R = maxShiftCells;
  const side = 2 * R + 1;
  const scores = new Float64Array(side * side);
  let best = -Infinity;
  let bx = 0;
  let by = 0;
  for (let sy = -R; sy <= R; sy++)
    for (let sx = -R; sx <= R; sx++) {
      // The content at p in a is at p + s in b: compare a(p) with b(p + s).
      const s = corr(a, b, sx, sy);
      scores[(sy + R) * side + sx + R] = s;
      if (s > best) {
        best = s;
        bx = sx;
        by = sy;
      }
    }
  const at = (sx: number, sy: number) => (Math.abs(sx) <= R && Math.abs(sy) <= R ? scores[(sy + R) * side + sx + R]! : best);
  const fx = bx + vertex(at(bx - 1, by), best, at(bx + 1, by));
  const fy = by + vertex(at(bx, by - 1), best, at(bx, by + 1));
  return { dx: fx * a.scaleX, dy: fy * a.scaleY, confidence: best };
}

/** Motion relative to the scene: what moved minus what the camera made everything do. */
export function subtractCamera(motion: { dx: number; dy: number }, camera: { dx: number; dy: number }): { dx: number; dy: number } {
  return { dx: motion.dx - camera.dx, dy: motion.dy - camera.dy };
}
