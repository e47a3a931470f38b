/**
 * "Re-track from here" (DESIGN §4, §6): carries a box from frame to frame by matching the
 * encoder's dense features inside it. Pure typed-array code so it runs in the encoder worker, next
 * to the features it needs, and in unit tests.
 */
import type { Box } from '../model/types';
import type { FeatureMap } from './featureMap';

export interface TrackOptions {
  /** Box sizes tried per frame, relative to the last box. Default [0.95, 1, 1.05]. */
  scales?: number[];
  /** How far (feature cells) around the predicted position to search. Default 3. */
  searchRadius?: number;
  /** Below this normalised cross-correlation the object is taken as lost. Default 0.5. */
  minConfidence?: number;
  /** Also lost when confidence falls by this fraction below its usual level. Default 0.4. */
  maxDrop?: number;
  /** Margin of surroundings in the template, as a fraction of the box size on each side. Default 0.1. */
  context?: number;
  videoWidth: number;
  videoHeight: number;
}

export interface TrackStep {
  box: Box;
  confidence: number;
  /** Set when this frame lost the object: `box` is then the last good one, not a result. */
  lost: boolean;
}

export interface BoxTracker {
  step(map: FeatureMap): TrackStep;
}

export interface PropagateOptions extends TrackOptions {
  start: Box;
  /** Frames in the order of propagation (forward or backward); the first is the frame of `start`. */
  frames: number[];
  features: (frame: number) => FeatureMap;
}

export interface PropagateResult {
  /** One per frame tracked, starting with `start` itself at frames[0] (confidence 1). */
  boxes: Array<{ frame: number; box: Box; confidence: number }>;
  /** The frame where the object was lost (not in `boxes`), or null when all frames were tracked. */
  stoppedAt: number | null;
  reason: 'end' | 'confidence';
}

// Translations are searched at this step or finer (cells): finer than the parabola can recover.
const MAX_STEP = 0.5;
// Template grid per side: enough points to hold a box's layout, few enough to correlate quickly.
const MIN_GRID = 5;
const MAX_GRID = 8;
// How fast the template follows the object's changing look; the first template keeps half the weight.
const TEMPLATE_RATE = 0.1;
// How fast the usual confidence level follows a slowly changing match.
const LEVEL_RATE = 0.1;

/**
 * Samples the map at the points (x0 + i·dx, y0 + j·dy) in cells, i < nx, j < ny, into `out`
 * point-major (all channels of a point together, so correlation reads memory in order) and
 * writes each point's channel sum and sum of squares for the patch normalisation.
 */
function sampleGrid(map: FeatureMap, x0: number, y0: number, dx: number, dy: number, nx: number, ny: number, out: Float32Array, s1: Float64Array, s2: Float64Array): void {
  const { data, width: w, height: h, channels: nc } = map;
  const plane = w * h;
  let o = 0;
  let p = 0;
  for (let j = 0; j < ny; j++) {
    let y = y0 + j * dy;
    y = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
    const ya = Math.floor(y);
    const yb = ya + 1 < h ? ya + 1 : ya;
    const fy = y - ya;
    for (let i = 0; i < nx; i++) {
      let x = x0 + i * dx;
      x = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
      const xa = Math.floor(x);
      const xb = xa + 1 < w ? xa + 1 : xa;
      const fx = x - xa;
      const iaa = ya * w + xa;
      const iab = ya * w + xb;
      const iba = yb * w + xa;
      const ibb = yb * w + xb;
      const waa = (1 - fx) * (1 - fy);
      const wab = fx * (1 - fy);
      const wba = (1 - fx) * fy;
      const wbb = fx * fy;
      let a1 = 0;
      let a2 = 0;
      for (let c = 0, b = 0; c < nc; c++, b += plane) {
        const v = waa * data[b + iaa]! + wab * data[b + iab]! + wba * data[b + iba]! + wbb * data[b + ibb]!;
        out[o++] = v;
        a1 += v;
        a2 += v * v;
      }
      s1[p] = a1;
      s2[p] = a2;
      p++;
    }
  }
}

/**
 * Zero weighted mean and unit weighted norm over all values (weights per grid point, shared by
 * its channels): correlation then measures pattern, not brightness or contrast.
 */
function normalise(v: Float32Array, weights: Float64Array, nc: number): void {
  let mean = 0;
  let total = 0;
  for (let g = 0, o = 0; g < weights.length; g++) {
    const w = weights[g]!;
    total += w;
    for (let c = 0; c < nc; c++, o++) mean += w * v[o]!;
  }
  mean /= total * nc;
  let ss = 0;
  for (let g = 0, o = 0; g < weights.length; g++) {
    const w = weights[g]!;
    for (let c = 0; c < nc; c++, o++) {
      const d = v[o]! - mean;
      v[o] = d;
      ss += w * d * d;
    }
  }
  const k = ss > 1e-20 ? 1 / Math.sqrt(ss) : 0;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * k;
}

/** Offset (−0.5…0.5) of a parabola's peak through three neighbouring scores. */
function parabola(l: number, c: number, r: number): number {
  const d = l - 2 * c + r;
  if (!(d < 0)) return 0;
  const off = (0.5 * (l - r)) / d;
  return off < -0.5 ? -0.5 : off > 0.5 ? 0.5 : off;
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/** A tracker holding the template and motion of one box; `step` advances it by one frame. */
export function startTracker(start: Box, first: FeatureMap, opts: TrackOptions): BoxTracker {
  const scales = [...(opts.scales ?? [0.95, 1, 1.05])].filter((s) => s > 0).sort((a, b) => a - b);
  if (scales.length === 0) scales.push(1);
  const radius = Math.max(MAX_STEP, opts.searchRadius ?? 3);
  const minConfidence = opts.minConfidence ?? 0.5;
  const maxDrop = opts.maxDrop ?? 0.4;
  const context = Math.max(0, opts.context ?? 0.1);
  const vw = opts.videoWidth;
  const vh = opts.videoHeight;
  const nc = first.channels;

  let cx = clamp((start[0] + start[2]) / 2, 0, vw);
  let cy = clamp((start[1] + start[3]) / 2, 0, vh);
  let bw = Math.max(1, Math.abs(start[2] - start[0]));
  let bh = Math.max(1, Math.abs(start[3] - start[1]));
  let vx = 0;
  let vy = 0;
  const ext = 1 + 2 * context;
  // The grid's shape is fixed by the first box; boxes only scale afterwards.
  const gw = clamp(Math.round((bw * ext) / first.scaleX), MIN_GRID, MAX_GRID);
  const gh = clamp(Math.round((bh * ext) / first.scaleY), MIN_GRID, MAX_GRID);
  const points = gw * gh;
  const n = points * nc;

  const first0 = new Float32Array(n);
  const running = new Float32Array(n);
  const template = new Float32Array(n);
  const observed = new Float32Array(n);
  const t1 = new Float64Array(points);
  const t2 = new Float64Array(points);
  const weights = new Float64Array(points);
  const CW = Number(globalThis.process?.env.CW ?? 0.3);
  for (let j = 0; j < gh; j++) {
    const v = Math.abs(((j + 0.5) / gh - 0.5) * 2 * ext);
    for (let i = 0; i < gw; i++) {
      const u = Math.abs(((i + 0.5) / gw - 0.5) * 2 * ext);
      weights[j * gw + i] = u <= 1 && v <= 1 ? 1 : CW;
    }
  }
  let weightSum = 0;
  for (let g = 0; g < points; g++) weightSum += weights[g]!;
  let lattice = new Float32Array(0);
  let l1 = new Float64Array(0);
  let l2 = new Float64Array(0);
  const scores = scales.map(() => new Float32Array(0));
  const peaks = new Float64Array(scales.length);
  const peakX = new Int32Array(scales.length);
  const peakY = new Int32Array(scales.length);

  const samplePatch = (map: FeatureMap, out: Float32Array) => {
    const ew = (bw * ext) / map.scaleX;
    const eh = (bh * ext) / map.scaleY;
    sampleGrid(map, cx / map.scaleX - 0.5 - ew / 2 + ew / gw / 2, cy / map.scaleY - 0.5 - eh / 2 + eh / gh / 2, ew / gw, eh / gh, gw, gh, out, t1, t2);
    normalise(out, weights, nc);
  };
  // Correlating with weight × template gives the weighted NCC's numerator in one multiply-add.
  const applyWeights = () => {
    for (let g = 0, o = 0; g < points; g++) {
      const w = weights[g]!;
      for (let c = 0; c < nc; c++, o++) template[o] = template[o]! * w;
    }
  };
  samplePatch(first, first0);
  running.set(first0);
  template.set(first0);
  applyWeights();

  let level = NaN;
  const box = (): Box => [clamp(cx - bw / 2, 0, vw), clamp(cy - bh / 2, 0, vh), clamp(cx + bw / 2, 0, vw), clamp(cy + bh / 2, 0, vh)];

  const step = (map: FeatureMap): TrackStep => {
    if (map.channels !== nc) throw new Error(`feature map has ${map.channels} channels, the track started with ${nc}`);
    const sx = map.scaleX;
    const sy = map.scaleY;
    // Prediction in cells: the last velocity carries the search window along.
    const pcx = (cx + vx) / sx - 0.5;
    const pcy = (cy + vy) / sy - 0.5;
    let bestScale = 0;
    const geom: Array<{ stepX: number; stepY: number; nx: number; ny: number }> = [];
    for (let si = 0; si < scales.length; si++) {
      const s = scales[si]!;
      const ew = (bw * s * ext) / sx;
      const eh = (bh * s * ext) / sy;
      const spx = ew / gw;
      const spy = eh / gh;
      // Template points land on lattice points kx (ky) apart, so one sampling serves every shift.
      const kx = Math.max(1, Math.ceil(spx / MAX_STEP - 1e-9));
      const ky = Math.max(1, Math.ceil(spy / MAX_STEP - 1e-9));
      const stepX = spx / kx;
      const stepY = spy / ky;
      const nx = Math.ceil(radius / stepX - 1e-9);
      const ny = Math.ceil(radius / stepY - 1e-9);
      const tw = 2 * nx + 1;
      const th = 2 * ny + 1;
      const lw = (gw - 1) * kx + tw;
      const lh = (gh - 1) * ky + th;
      // Grown with headroom: scales and box sizes change the lattice a little every frame.
      if (lattice.length < lw * lh * nc) lattice = new Float32Array(Math.ceil(lw * lh * nc * 1.25));
      if (l1.length < lw * lh) {
        l1 = new Float64Array(Math.ceil(lw * lh * 1.25));
        l2 = new Float64Array(Math.ceil(lw * lh * 1.25));
      }
      sampleGrid(map, pcx - ew / 2 + spx / 2 - nx * stepX, pcy - eh / 2 + spy / 2 - ny * stepY, stepX, stepY, lw, lh, lattice, l1, l2);
      let sc = scores[si]!;
      if (sc.length < tw * th) sc = scores[si] = new Float32Array(tw * th);
      let best = -Infinity;
      let bx = nx;
      let by = ny;
      for (let ty = 0; ty < th; ty++) {
        for (let tx = 0; tx < tw; tx++) {
          let dot = 0;
          let a1 = 0;
          let a2 = 0;
          for (let gy = 0; gy < gh; gy++) {
            const row = (ty + gy * ky) * lw + tx;
            let to = gy * gw * nc;
            for (let gx = 0; gx < gw; gx++, to += nc) {
              const pt = row + gx * kx;
              const w = weights[gy * gw + gx]!;
              a1 += w * l1[pt]!;
              a2 += w * l2[pt]!;
              let po = pt * nc;
              const end = to + nc;
              for (let t = to; t < end; t++, po++) dot += template[t]! * lattice[po]!;
            }
          }
          const variance = a2 - (a1 * a1) / (nc * weightSum);
          const ncc = variance > 1e-12 ? dot / Math.sqrt(variance) : 0;
          sc[ty * tw + tx] = ncc;
          if (ncc > best) {
            best = ncc;
            bx = tx;
            by = ty;
          }
        }
      }
      peaks[si] = best;
      peakX[si] = bx;
      peakY[si] = by;
      geom.push({ stepX, stepY, nx, ny });
      if (best > peaks[bestScale]!) bestScale = si;
    }

    const confidence = clamp(peaks[bestScale]!, -1, 1);
    const lost = confidence < minConfidence || (Number.isFinite(level) && confidence < level * (1 - maxDrop));
    if (lost) return { box: box(), confidence, lost: true };

    const g = geom[bestScale]!;
    const sc = scores[bestScale]!;
    const tw = 2 * g.nx + 1;
    const th = 2 * g.ny + 1;
    const bx = peakX[bestScale]!;
    const by = peakY[bestScale]!;
    const at = (x: number, y: number) => sc[y * tw + x]!;
    const ox = bx > 0 && bx < tw - 1 ? parabola(at(bx - 1, by), at(bx, by), at(bx + 1, by)) : 0;
    const oy = by > 0 && by < th - 1 ? parabola(at(bx, by - 1), at(bx, by), at(bx, by + 1)) : 0;
    let scale = scales[bestScale]!;
    if (bestScale > 0 && bestScale < scales.length - 1) {
      const o = parabola(peaks[bestScale - 1]!, peaks[bestScale]!, peaks[bestScale + 1]!);
      scale += o * (o > 0 ? scales[bestScale + 1]! - scale : scale - scales[bestScale - 1]!);
    }
    const ncx = clamp((pcx + (bx - g.nx + ox) * g.stepX + 0.5) * sx, 0, vw);
    const ncy = clamp((pcy + (by - g.ny + oy) * g.stepY + 0.5) * sy, 0, vh);
    vx = 0.5 * vx + 0.5 * (ncx - cx);
    vy = 0.5 * vy + 0.5 * (ncy - cy);
    cx = ncx;
    cy = ncy;
    // Bounded so a runaway scale cannot make the box vanish or swallow the frame many times over.
    bw = clamp(bw * scale, 0.5 * sx, 2 * vw);
    bh = clamp(bh * scale, 0.5 * sy, 2 * vh);
    level = Number.isFinite(level) ? level + LEVEL_RATE * (confidence - level) : confidence;

    // A slowly following template copes with a changing look; half the first keeps it on the object.
    samplePatch(map, observed);
    for (let i = 0; i < n; i++) running[i] = running[i]! + (Number(globalThis.process?.env.TR ?? TEMPLATE_RATE)) * (observed[i]! - running[i]!);
    normalise(running, weights, nc);
    for (let i = 0; i < n; i++) template[i] = first0[i]! + running[i]!;
    normalise(template, weights, nc);
    applyWeights();
    return { box: box(), confidence, lost: false };
  };

  return { step };
}

/** Propagates `start` along `frames` until the end or until the object is lost. */
export function propagate(opts: PropagateOptions): PropagateResult {
  const { start, frames } = opts;
  const boxes: PropagateResult['boxes'] = [];
  if (frames.length === 0) return { boxes, stoppedAt: null, reason: 'end' };
  const clip = (b: Box): Box => [clamp(Math.min(b[0], b[2]), 0, opts.videoWidth), clamp(Math.min(b[1], b[3]), 0, opts.videoHeight), clamp(Math.max(b[0], b[2]), 0, opts.videoWidth), clamp(Math.max(b[1], b[3]), 0, opts.videoHeight)];
  boxes.push({ frame: frames[0]!, box: clip(start), confidence: 1 });
  if (frames.length === 1) return { boxes, stoppedAt: null, reason: 'end' };
  const tracker = startTracker(start, opts.features(frames[0]!), opts);
  for (let i = 1; i < frames.length; i++) {
    const frame = frames[i]!;
    const r = tracker.step(opts.features(frame));
    if (r.lost) return { boxes, stoppedAt: frame, reason: 'confidence' };
    boxes.push({ frame, box: r.box, confidence: r.confidence });
  }
  return { boxes, stoppedAt: null, reason: 'end' };
}
