/**
 * Event-boundary suggestions from per-frame embeddings (DESIGN §6): a new event tends to start
 * where consecutive frames stop looking alike. Pure typed-array code for the worker and for tests.
 */

/** Cosine similarity; 0 when either vector is all zeros (it has no direction to compare). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`cosine: lengths differ (${a.length} vs ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** `v` scaled to unit length (left as zeros when it is all zeros); pass `out = v` to do it in place. */
export function l2normalize(v: ArrayLike<number>, out: Float32Array = new Float32Array(v.length)): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const k = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * k;
  return out;
}

/** sim[i] = cosine(e[i−1], e[i]); NaN at 0 and wherever either embedding is missing. */
export function adjacentSimilarity(embeddings: ReadonlyArray<Float32Array | null | undefined>): Float32Array {
  const sim = new Float32Array(embeddings.length).fill(NaN);
  for (let i = 1; i < embeddings.length; i++) {
    const a = embeddings[i - 1];
    const b = embeddings[i];
    if (a && b) sim[i] = cosine(a, b);
  }
  return sim;
}

export interface BoundaryOptions {
  /** Frames on each side of a candidate that form its baseline. */
  window?: number;
  /** Suggestions closer than this (frames) are one event change: only the strongest is kept. */
  minGap?: number;
  /** A drop below the baseline must be at least this much cosine similarity… */
  minDrop?: number;
  /** …and at least this many robust standard deviations (1.4826 · MAD) of the window. */
  madFactor?: number;
}

export interface Boundary {
  /** A new event starts at this frame. */
  frame: number;
  /** 0–1: how large and how clear the drop is. */
  score: number;
}

const MAD_TO_SIGMA = 1.4826;
// Keeps a perfectly still window (MAD 0) from making any wobble look infinitely significant.
const SIGMA_FLOOR = 0.002;
// A drop of this much similarity scores ~0.63 on the size part of the score.
const DROP_SCALE = 0.2;

function medianInPlace(v: Float64Array, n: number): number {
  const s = v.subarray(0, n).sort();
  const h = n >> 1;
  return n % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * Frames where `sim` (from adjacentSimilarity) drops well below its local level. The baseline is
 * the median of the window around the candidate, not a global threshold, so a video that simply
 * changes faster (lower similarity throughout) or drifts slowly raises no suggestions.
 */
export function suggestBoundaries(sim: ArrayLike<number>, opts: BoundaryOptions = {}): Boundary[] {
  const win = Math.max(1, Math.round(opts.window ?? 12));
  const minGap = Math.max(1, Math.round(opts.minGap ?? 8));
  const minDrop = opts.minDrop ?? 0.05;
  const k = opts.madFactor ?? 5;
  const n = sim.length;
  const scratch = new Float64Array(2 * win);
  const candidates: Boundary[] = [];
  for (let i = 0; i < n; i++) {
    const v = sim[i]!;
    if (!Number.isFinite(v)) continue;
    let m = 0;
    for (let j = Math.max(0, i - win); j <= Math.min(n - 1, i + win); j++) {
      const u = sim[j]!;
      if (j !== i && Number.isFinite(u)) scratch[m++] = u;
    }
    if (m === 0) continue;
    const base = medianInPlace(scratch, m);
    const drop = base - v;
    if (drop < minDrop) continue;
    for (let j = 0; j < m; j++) scratch[j] = Math.abs(scratch[j]! - base);
    const sigma = Math.max(SIGMA_FLOOR, MAD_TO_SIGMA * medianInPlace(scratch, m));
    if (drop < k * sigma) continue;
    const size = 1 - Math.exp(-drop / DROP_SCALE);
    const clarity = 1 - (k * sigma) / drop;
    candidates.push({ frame: i, score: size * (0.5 + 0.5 * clarity) });
  }
  candidates.sort((a, b) => b.score - a.score || a.frame - b.frame);
  const kept: Boundary[] = [];
  for (const c of candidates) {
    if (kept.every((q) => Math.abs(q.frame - c.frame) >= minGap)) kept.push(c);
  }
  return kept.sort((a, b) => a.frame - b.frame);
}

/**
 * Cuts each visible stretch (inclusive [start, end]) where a boundary starts a new event inside
 * it. A piece shorter than `minLength` joins its shorter neighbour, so no span is too brief to
 * caption; a stretch that is short as a whole stays one span.
 */
export function proposeSpans(visibleRanges: ReadonlyArray<readonly [number, number]>, boundaries: readonly number[], minLength: number): Array<[number, number]> {
  const cuts = [...new Set(boundaries)].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const [start, end] of visibleRanges) {
    if (end < start) continue;
    const pieces: Array<[number, number]> = [];
    let s = start;
    for (const b of cuts) {
      if (b <= start || b > end) continue;
      pieces.push([s, b - 1]);
      s = b;
    }
    pieces.push([s, end]);
    while (pieces.length > 1) {
      let shortest = -1;
      for (let i = 0; i < pieces.length; i++) {
        const len = pieces[i]![1] - pieces[i]![0] + 1;
        if (len < minLength && (shortest < 0 || len < pieces[shortest]![1] - pieces[shortest]![0] + 1)) shortest = i;
      }
      if (shortest < 0) break;
      const prev = pieces[shortest - 1];
      const next = pieces[shortest + 1];
      const intoPrev = !next || (prev !== undefined && prev[1] - prev[0] <= next[1] - next[0]);
      const piece = pieces[shortest]!;
      if (intoPrev) {
        prev![1] = piece[1];
      } else {
        next![0] = piece[0];
      }
      pieces.splice(shortest, 1);
    }
    out.push(...pieces);
  }
  return out.sort((a, b) => a[0] - b[0]);
}
