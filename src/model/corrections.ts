import { boxAt, emptyKeys, KEY_OCCLUDED, KEY_OUTSIDE, keyIndexAtOrBefore, sourceBits } from './keyframes';
import type { Box, KeyframeTable, Track } from './types';

/**
 * Corrections that carry (DESIGN §4 "Correcting a proposal").
 *
 * A track keeps the pipeline's keyframes (`keys`) apart from people's (`human`). What is shown is
 * the *effective* table, computed here:
 *
 * - `linear` (CVAT): the two tables merged, a human key replacing the model's at its frame; boxes
 *   are interpolated linearly between neighbouring keys. On a dense proposal a fix moves one frame.
 * - `fade` (default): between human keys h0 < f < h1, the model's box at f is moved by
 *   w0·Δ0 + w1·Δ1, where Δ is the correction at each human key (human box − model box there) and
 *   the weights fall linearly from 1 at a key to 0 at the other. Before the first or after the
 *   last human key, Δ fades to 0 over `reach` frames. So one fix at the worst frame of a drift
 *   repairs its neighbourhood while the model's own motion is kept.
 *
 * Δ is measured against a robust estimate of the model's box at the key, not the single box there:
 * fixing one wild box (a glitch) must not drag its good neighbours along.
 *
 * Visibility: a human `outside` key hides the instance until the next human key, whatever the
 * model says. A visible human key inside a stretch where the model has no box bridges that gap
 * (interpolated from the model's last box before it, held or interpolated to what follows).
 */

export interface ResolveOptions {
  /** Frames over which a one-sided correction fades out. */
  reach: number;
}

const PAIR_RADIUS = 2;
const cache = new WeakMap<Track, { reach: number; table: KeyframeTable }>();

/** The effective keyframes of a track (cached per track object: tracks are immutable). */
export function effectiveKeys(track: Track, opts: ResolveOptions): KeyframeTable {
  const human = track.human;
  if (!human || human.frames.length === 0) return track.keys;
  const hit = cache.get(track);
  if (hit && hit.reach === opts.reach) return hit.table;
  const table = track.interpolation === 'linear' ? mergeLinear(track.keys, human) : resolveFade(track.keys, human, opts.reach);
  cache.set(track, { reach: opts.reach, table });
  return table;
}

/** Default reach: two seconds of video. */
export function defaultReach(fps: number): number {
  return Math.max(10, Math.round((Number.isFinite(fps) && fps > 0 ? fps : 30) * 2));
}

class TableBuilder {
  frames: number[] = [];
  boxes: number[] = [];
  flags: number[] = [];
  scores: number[] = [];
  push(frame: number, box: ArrayLike<number>, flags: number, score: number): void {
    this.frames.push(frame);
    this.boxes.push(box[0]!, box[1]!, box[2]!, box[3]!);
    this.flags.push(flags);
    this.scores.push(score);
  }
  pushFrom(t: KeyframeTable, i: number): void {
    this.push(t.frames[i]!, t.boxes.subarray(i * 4, i * 4 + 4), t.flags[i]!, t.scores[i]!);
  }
  build(): KeyframeTable {
    if (this.frames.length === 0) return emptyKeys();
    return {
      frames: Int32Array.from(this.frames),
      boxes: Float32Array.from(this.boxes),
      flags: Uint8Array.from(this.flags),
      scores: Float32Array.from(this.scores),
    };
  }
}

/** Both tables merged by frame; at a shared frame the human key wins. */
export function mergeLinear(base: KeyframeTable, human: KeyframeTable): KeyframeTable {
  const out = new TableBuilder();
  let i = 0;
  let j = 0;
  while (i < base.frames.length || j < human.frames.length) {
    const fb = i < base.frames.length ? base.frames[i]! : Infinity;
    const fh = j < human.frames.length ? human.frames[j]! : Infinity;
    if (fh <= fb) {
      out.pushFrom(human, j++);
      if (fh === fb) i++;
    } else out.pushFrom(base, i++);
  }
  return out.build();
}

/**
 * The correction a human key makes: its box minus the model's box there, where the model's box is
 * a robust estimate: the median of the box itself and the means of symmetric neighbour pairs
 * (f±1, f±2). On smooth motion all agree; when the box being fixed is a glitch, its neighbours win.
 */
export function correctionDelta(base: KeyframeTable, human: KeyframeTable, j: number): Box | null {
  if (human.flags[j]! & KEY_OUTSIDE) return null;
  const f = human.frames[j]!;
  const centre = boxAt(base, f);
  // An assisted key was propagated from a person's box: it is no glitch to be out-voted, and its
  // neighbours on the far side may be the very proposal the propagation replaced.
  if (centre?.isKey && centre.source === 'assisted') return [0, 1, 2, 3].map((c) => human.boxes[j * 4 + c]! - centre.box[c]!) as Box;
  const estimates: Box[] = [];
  for (let k = 1; k <= PAIR_RADIUS; k++) {
    const a = boxAt(base, f - k);
    const b = boxAt(base, f + k);
    if (a && b) estimates.push(a.box.map((v, c) => (v + b.box[c]!) / 2) as Box);
  }
  if (centre) estimates.push(centre.box);
  if (estimates.length === 0) return null;
  // With two estimates, trust the neighbours: the frame being fixed is the likeliest glitch.
  const pick = estimates.length === 2 ? [estimates[0]!] : estimates;
  const hb = human.boxes;
  return [0, 1, 2, 3].map((c) => hb[j * 4 + c]! - median(pick.map((e) => e[c]!))) as Box;
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function resolveFade(base: KeyframeTable, human: KeyframeTable, reach: number): KeyframeTable {
  const H = human.frames.length;
  const deltas = Array.from({ length: H }, (_, j) => correctionDelta(base, human, j));
  const out = new TableBuilder();
  const box = new Float32Array(4);
  const B = base.frames.length;
  // Index of the first base key with a visible box at or after each base index (for gap bridging).
  const nextVisible = new Int32Array(B + 1).fill(B);
  for (let i = B - 1; i >= 0; i--) nextVisible[i] = base.flags[i]! & KEY_OUTSIDE ? nextVisible[i + 1]! : i;
  let j = 0; // first human key with frame >= current base frame
  for (let i = 0; i < B; i++) {
    const f = base.frames[i]!;
    while (j < H && human.frames[j]! < f) out.pushFrom(human, j++);
    if (j < H && human.frames[j]! === f) continue; // the human key (pushed next turn) wins
    const h0 = j - 1;
    const h1 = j < H ? j : -1;
    if (h0 >= 0 && human.flags[h0]! & KEY_OUTSIDE) continue;
    const bf = base.flags[i]!;
    if (bf & KEY_OUTSIDE) {
      // A visible human key before the model's next box bridges this gap: drop the model's outside key.
      const nv = nextVisible[i]!;
      const gapEnd = nv < B ? base.frames[nv]! : Infinity;
      if (h1 >= 0 && human.frames[h1]! < gapEnd && !(human.flags[h1]! & KEY_OUTSIDE)) continue;
      out.pushFrom(base, i);
      continue;
    }
    for (let c = 0; c < 4; c++) box[c] = base.boxes[i * 4 + c]!;
    addFaded(box, f, h0, h1, human, deltas, reach);
    const occluded = h0 >= 0 && human.flags[h0]! & KEY_OCCLUDED ? KEY_OCCLUDED : 0;
    out.push(f, box, bf | occluded, base.scores[i]!);
  }
  while (j < H) out.pushFrom(human, j++);
  return out.build();
}

function addFaded(box: Float32Array, f: number, h0: number, h1: number, human: KeyframeTable, deltas: Array<Box | null>, reach: number): void {
  const f0 = h0 >= 0 ? human.frames[h0]! : -Infinity;
  const f1 = h1 >= 0 ? human.frames[h1]! : Infinity;
  const both = h0 >= 0 && h1 >= 0;
  const span = both ? f1 - f0 : reach;
  if (h0 >= 0) {
    const d = deltas[h0];
    const w = Math.max(0, 1 - (f - f0) / span);
    if (d && w > 0) for (let c = 0; c < 4; c++) box[c] = box[c]! + w * d[c]!;
  }
  if (h1 >= 0) {
    const d = deltas[h1];
    const w = Math.max(0, 1 - (f1 - f) / span);
    if (d && w > 0) for (let c = 0; c < 4; c++) box[c] = box[c]! + w * d[c]!;
  }
}

/** Human key index at exactly `frame`, or -1. */
export function humanKeyIndex(track: Track, frame: number): number {
  const h = track.human;
  if (!h) return -1;
  const i = keyIndexAtOrBefore(h, frame);
  return i >= 0 && h.frames[i] === frame ? i : -1;
}

export const HUMAN = sourceBits('human');
