import type { FeatureMap } from './featureMap';

/**
 * The camera's motion between two frames as one global shift of their feature maps. The map is
 * cut into regions; in each, every integer cell shift is scored by the correlation of the
 * overlapping parts (a border left out, where padding lives) and refined to sub-cell by a
 * parabola; the median over regions is the camera's shift, so an object moving in one or two
 * regions does not drag it along.
 */
export interface Shift {
  /** Video px: a point at p in `a` is at p + (dx, dy) in `b`. */
  dx: number;
  dy: number;
  /** Correlation at the peak, in [-1, 1]. */
  confidence: number;
}

const BORDER = 1;

interface Region {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function corr(a: FeatureMap, b: FeatureMap, sx: number, sy: number, r: Region): number {
  const { width: w, height: h, channels: C } = a;
  const plane = w * h;
  const x0 = Math.max(r.x0, BORDER - sx);
  const x1 = Math.min(r.x1, w - BORDER - sx);
  const y0 = Math.max(r.y0, BORDER - sy);
  const y1 = Math.min(r.y1, h - BORDER - sy);
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

const REGIONS_X = 4;
const REGIONS_Y = 3;

function regionShift(a: FeatureMap, b: FeatureMap, R: number, region: Region): { fx: number; fy: number; best: number } {
  const side = 2 * R + 1;
  const scores = new Float64Array(side * side);
  let best = -Infinity;
  let bx = 0;
  let by = 0;
  for (let sy = -R; sy <= R; sy++)
    for (let sx = -R; sx <= R; sx++) {
      // The content at p in a is at p + s in b: compare a(p) with b(p + s).
      const s = corr(a, b, sx, sy, region);
      scores[(sy + R) * side + sx + R] = s;
      if (s > best) {
        best = s;
        bx = sx;
        by = sy;
      }
    }
  const at = (sx: number, sy: number) => (Math.abs(sx) <= R && Math.abs(sy) <= R ? scores[(sy + R) * side + sx + R]! : best);
  return { fx: bx + vertex(at(bx - 1, by), best, at(bx + 1, by)), fy: by + vertex(at(bx, by - 1), best, at(bx, by + 1)), best };
}

function median(v: number[]): number {
  const s = [...v].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Channels of the most spatial variance in `a` (a flat channel carries no shift), at most n. */
function liveChannels(a: FeatureMap, n: number): number[] {
  const plane = a.width * a.height;
  const v: Array<[number, number]> = [];
  for (let c = 0; c < a.channels; c++) {
    let s = 0;
    let q = 0;
    for (let i = c * plane; i < (c + 1) * plane; i++) {
      const x = a.data[i]!;
      s += x;
      q += x * x;
    }
    v.push([q / plane - (s / plane) ** 2, c]);
  }
  return v.sort((p, q) => q[0] - p[0]).slice(0, n).map(([, c]) => c);
}

function pick(m: FeatureMap, channels: number[]): FeatureMap {
  if (channels.length === m.channels) return m;
  const plane = m.width * m.height;
  const data = new Float32Array(channels.length * plane);
  channels.forEach((c, k) => data.set(m.data.subarray(c * plane, (c + 1) * plane), k * plane));
  return { ...m, data, channels: channels.length };
}

// A learned map has ~100 channels; the dozen liveliest pin the shift as well at a tenth of the cost.
const MAX_CHANNELS = 12;

export function globalShift(a0: FeatureMap, b0: FeatureMap, maxShiftCells = 4): Shift {
  if (a0.width !== b0.width || a0.height !== b0.height || a0.channels !== b0.channels) return { dx: 0, dy: 0, confidence: 0 };
  const keep = a0.channels > MAX_CHANNELS ? liveChannels(a0, MAX_CHANNELS).sort((p, q) => p - q) : null;
  const a = keep ? pick(a0, keep) : a0;
  const b = keep ? pick(b0, keep) : b0;
  const { width: w, height: h } = a;
  const inner = { x0: BORDER, x1: w - BORDER, y0: BORDER, y1: h - BORDER };
  // Regions need room for the search; small maps are one region.
  const nx = (inner.x1 - inner.x0) / REGIONS_X >= 4 * maxShiftCells ? REGIONS_X : 1;
  const ny = (inner.y1 - inner.y0) / REGIONS_Y >= 4 * maxShiftCells ? REGIONS_Y : 1;
  const found: Array<{ fx: number; fy: number; best: number }> = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const region = {
        x0: inner.x0 + Math.round(((inner.x1 - inner.x0) * i) / nx),
        x1: inner.x0 + Math.round(((inner.x1 - inner.x0) * (i + 1)) / nx),
        y0: inner.y0 + Math.round(((inner.y1 - inner.y0) * j) / ny),
        y1: inner.y0 + Math.round(((inner.y1 - inner.y0) * (j + 1)) / ny),
      };
      const r = regionShift(a, b, maxShiftCells, region);
      if (r.best > -1) found.push(r);
    }
  if (!found.length) return { dx: 0, dy: 0, confidence: 0 };
  return { dx: median(found.map((r) => r.fx)) * a.scaleX, dy: median(found.map((r) => r.fy)) * a.scaleY, confidence: median(found.map((r) => r.best)) };
}

/** Motion relative to the scene: what moved minus what the camera made everything do. */
export function subtractCamera(motion: { dx: number; dy: number }, camera: { dx: number; dy: number }): { dx: number; dy: number } {
  return { dx: motion.dx - camera.dx, dy: motion.dy - camera.dy };
}
