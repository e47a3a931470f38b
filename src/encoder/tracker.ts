import type { Box } from '../model/types';
import { toCellX, toCellY, type FeatureMap } from './featureMap';

/**
 * Box propagation by feature correlation ("re-track from here"), one frame at a time so the
 * worker never holds more than one feature map. The instance is described by its features on a
 * fixed grid over the box; each new frame is searched around where it should be (last position
 * plus velocity) over translations and a few scales, coarse then fine, for the best normalised
 * cross-correlation. The template is anchored to the first frame (a person's box) and only blended
 * with recent matches, so it cannot wander off onto the background.
 */
export interface TrackerOptions {
  videoWidth: number;
  videoHeight: number;
  /** Below this correlation the instance counts as lost (the frame is not propagated to). */
  minConfidence?: number;
  /** Search radius around the prediction, in feature cells. */
  searchRadius?: number;
  scales?: number[];
  /** Grid points per box side. */
  grid?: number;
}

export interface TrackStep {
  box: Box | null;
  confidence: number;
  /** Why the box is null: the match fell too low, or the instance left the picture. */
  lost?: 'confidence' | 'left-view';
}

const DEFAULTS = { minConfidence: 0.5, searchRadius: 4, scales: [0.96, 1, 1.04], grid: 8 };
/** Context around the box the template also sees (fraction of its size per side). */
const MARGIN = 0.15;
const TEMPLATE_MEMORY = 0.3;
const CONTEXT_WEIGHT = 0.05;
/** A match this far below the typical one of the first frames is another thing, even if it is high. */
const RELATIVE_DROP = 0.65;
/** Less than this part of the box inside the picture: the instance has left it. */
const MIN_INSIDE = 0.5;

export class Tracker {
  private readonly o: Required<TrackerOptions>;
  private readonly first: Float32Array;
  private template: Float32Array;
  private recent: Float32Array;
  private cx: number;
  private cy: number;
  private w: number;
  private h: number;
  private vx = 0;
  private vy = 0;
  private readonly buf: Float32Array;
  private readonly corners: Int32Array;
  private readonly weights: Float32Array;
  /** Grid points in the context margin count little: the object moves, its background does not. */
  private readonly pointWeight: Float32Array;
  private early: number[] = [];

  constructor(start: Box, map: FeatureMap, opts: TrackerOptions) {
    this.o = { ...DEFAULTS, ...opts } as Required<TrackerOptions>;
    this.cx = (start[0] + start[2]) / 2;
    this.cy = (start[1] + start[3]) / 2;
    this.w = Math.max(2, start[2] - start[0]);
    this.h = Math.max(2, start[3] - start[1]);
    const n = map.channels * this.o.grid * this.o.grid;
    this.buf = new Float32Array(n);
    this.corners = new Int32Array(this.o.grid * this.o.grid * 4);
    this.weights = new Float32Array(this.o.grid * this.o.grid * 4);
    const g = this.o.grid;
    const inner = (i: number) => {
      const u = (i + 0.5) / g;
      return u > MARGIN / (1 + 2 * MARGIN) && u < (1 + MARGIN) / (1 + 2 * MARGIN);
    };
    this.pointWeight = Float32Array.from({ length: g * g }, (_, p) => (inner(p % g) && inner(Math.floor(p / g)) ? 1 : CONTEXT_WEIGHT));
    this.first = this.patch(map, this.cx, this.cy, this.w, this.h, new Float32Array(n));
    this.template = this.first.slice();
    this.recent = this.first.slice();
  }

  /** Zero-mean, unit-norm features of the box (with margin) centred at (cx, cy), video px. */
  private patch(map: FeatureMap, cx: number, cy: number, w: number, h: number, out: Float32Array): Float32Array {
    const g = this.o.grid;
    const gg = g * g;
    const ww = w * (1 + 2 * MARGIN);
    const hh = h * (1 + 2 * MARGIN);
    const { width: W, height: H, data } = map;
    const plane = W * H;
    // Bilinear corners and weights once per grid point, then every channel reuses them.
    const idx = this.corners;
    const wts = this.weights;
    for (let j = 0; j < g; j++) {
      const y = clamp(toCellY(map, cy - hh / 2 + ((j + 0.5) / g) * hh), H - 1);
      const y0 = Math.floor(y);
      const y1 = y0 + 1 < H ? y0 + 1 : y0;
      const fy = y - y0;
      for (let i = 0; i < g; i++) {
        const x = clamp(toCellX(map, cx - ww / 2 + ((i + 0.5) / g) * ww), W - 1);
        const x0 = Math.floor(x);
        const x1 = x0 + 1 < W ? x0 + 1 : x0;
        const fx = x - x0;
        const q = (j * g + i) * 4;
        idx[q] = y0 * W + x0;
        idx[q + 1] = y0 * W + x1;
        idx[q + 2] = y1 * W + x0;
        idx[q + 3] = y1 * W + x1;
        wts[q] = (1 - fx) * (1 - fy);
        wts[q + 1] = fx * (1 - fy);
        wts[q + 2] = (1 - fx) * fy;
        wts[q + 3] = fx * fy;
      }
    }
    let sum = 0;
    for (let c = 0; c < map.channels; c++) {
      const base = c * plane;
      const o = c * gg;
      for (let p = 0; p < gg; p++) {
        const q = p * 4;
        const v = data[base + idx[q]!]! * wts[q]! + data[base + idx[q + 1]!]! * wts[q + 1]! + data[base + idx[q + 2]!]! * wts[q + 2]! + data[base + idx[q + 3]!]! * wts[q + 3]!;
        out[o + p] = v;
        sum += v;
      }
    }
    const mean = sum / out.length;
    const wg = this.pointWeight;
    let sq = 0;
    for (let i = 0; i < out.length; i++) {
      const v = (out[i]! - mean) * wg[i % gg]!;
      out[i] = v;
      sq += v * v;
    }
    const inv = sq > 1e-12 ? 1 / Math.sqrt(sq) : 0;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! * inv;
    return out;
  }

  private score(map: FeatureMap, cx: number, cy: number, w: number, h: number): number {
    const p = this.patch(map, cx, cy, w, h, this.buf);
    const t = this.template;
    let s = 0;
    for (let i = 0; i < p.length; i++) s += p[i]! * t[i]!;
    return s;
  }

  /** The median match of the first frames (1 before there is any). */
  private typical(): number {
    if (!this.early.length) return 0;
    const v = [...this.early].sort((a, b) => a - b);
    return v[v.length >> 1]!;
  }

  step(map: FeatureMap): TrackStep {
    const o = this.o;
    const px = this.cx + this.vx;
    const py = this.cy + this.vy;
    let best = { s: -Infinity, x: px, y: py, k: 1 };
    // Coarse: whole cells over the radius, every scale.
    for (const k of o.scales) {
      for (let dy = -o.searchRadius; dy <= o.searchRadius; dy++) {
        for (let dx = -o.searchRadius; dx <= o.searchRadius; dx++) {
          const x = px + dx * map.scaleX;
          const y = py + dy * map.scaleY;
          const s = this.score(map, x, y, this.w * k, this.h * k);
          if (s > best.s) best = { s, x, y, k };
        }
      }
    }
    // Fine: quarter cells around the best.
    const coarse = best;
    for (let dy = -3; dy <= 3; dy++) {
      for (let dx = -3; dx <= 3; dx++) {
        if (!dx && !dy) continue;
        const x = coarse.x + (dx / 4) * map.scaleX;
        const y = coarse.y + (dy / 4) * map.scaleY;
        const s = this.score(map, x, y, this.w * coarse.k, this.h * coarse.k);
        if (s > best.s) best = { s, x, y, k: coarse.k };
      }
    }
    if (best.s < o.minConfidence || best.s < RELATIVE_DROP * this.typical()) return { box: null, confidence: Math.max(0, best.s), lost: 'confidence' };
    const bw = this.w * best.k;
    const bh = this.h * best.k;
    const inside = (overlap(best.x - bw / 2, best.x + bw / 2, this.o.videoWidth) * overlap(best.y - bh / 2, best.y + bh / 2, this.o.videoHeight)) / (bw * bh);
    if (inside < MIN_INSIDE) return { box: null, confidence: best.s, lost: 'left-view' };
    if (this.early.length < 5) this.early.push(best.s);
    // Velocity: smoothed, so one noisy match does not throw the next search off.
    this.vx = 0.6 * this.vx + 0.4 * (best.x - this.cx);
    this.vy = 0.6 * this.vy + 0.4 * (best.y - this.cy);
    this.cx = best.x;
    this.cy = best.y;
    // Scale moves halfway to what matched: box sizes change slowly, matches are noisy.
    const k = 1 + (best.k - 1) * 0.5;
    this.w = Math.max(2, Math.min(this.o.videoWidth * 2, this.w * k));
    this.h = Math.max(2, Math.min(this.o.videoHeight * 2, this.h * k));
    const seen = this.patch(map, this.cx, this.cy, this.w, this.h, this.buf);
    let sq = 0;
    for (let i = 0; i < this.recent.length; i++) {
      this.recent[i] = 0.5 * this.recent[i]! + 0.5 * seen[i]!;
    }
    for (let i = 0; i < this.template.length; i++) {
      const v = (1 - TEMPLATE_MEMORY) * this.first[i]! + TEMPLATE_MEMORY * this.recent[i]!;
      this.template[i] = v;
      sq += v * v;
    }
    const inv = sq > 1e-12 ? 1 / Math.sqrt(sq) : 0;
    for (let i = 0; i < this.template.length; i++) this.template[i] = this.template[i]! * inv;
    const x1 = this.cx - this.w / 2;
    const y1 = this.cy - this.h / 2;
    return { box: [x1, y1, x1 + this.w, y1 + this.h], confidence: best.s };
  }
}

/** Length of [a, b] inside [0, size]. */
function overlap(a: number, b: number, size: number): number {
  return Math.max(0, Math.min(b, size) - Math.max(a, 0));
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}
