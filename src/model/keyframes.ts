import type { Box, Keyframe, KeyframeTable, KeySource } from './types';

/** Flag bits of KeyframeTable.flags. The source lives in bits 2–3. */
export const KEY_OUTSIDE = 1;
export const KEY_OCCLUDED = 2;
const SOURCE_SHIFT = 2;
const SOURCES: readonly KeySource[] = ['model', 'human', 'assisted'];

export function sourceBits(source: KeySource): number {
  return SOURCES.indexOf(source) << SOURCE_SHIFT;
}

export function sourceOf(flags: number): KeySource {
  return SOURCES[(flags >> SOURCE_SHIFT) & 3] ?? 'model';
}

export function keyCount(keys: KeyframeTable): number {
  return keys.frames.length;
}

export function emptyKeys(): KeyframeTable {
  return { frames: new Int32Array(0), boxes: new Float32Array(0), flags: new Uint8Array(0), scores: new Float32Array(0) };
}

function allocKeys(n: number): KeyframeTable {
  return { frames: new Int32Array(n), boxes: new Float32Array(n * 4), flags: new Uint8Array(n), scores: new Float32Array(n) };
}

/**
 * A dense proposal (one box or null per frame from startFrame) as keyframes. A run of nulls is one
 * `outside` keyframe at its first frame (CVAT's convention), and the track ends with an outside
 * keyframe right after its last box, so it does not linger past what the tracker saw.
 */
export function keyframesFromDense(
  startFrame: number,
  boxes: ReadonlyArray<Readonly<Box> | null>,
  scores?: ReadonlyArray<number | null>,
  source: KeySource = 'model',
): KeyframeTable {
  const src = sourceBits(source);
  let n = 0;
  let prevNull = true;
  for (const b of boxes) {
    if (b) n++;
    else if (!prevNull) n++;
    prevNull = !b;
  }
  if (!prevNull) n++; // closing outside key
  const out = allocKeys(n);
  let k = 0;
  let last: Readonly<Box> | null = null;
  prevNull = true;
  const push = (frame: number, box: Readonly<Box>, flags: number, score: number) => {
    out.frames[k] = frame;
    out.boxes.set(box, k * 4);
    out.flags[k] = flags;
    out.scores[k] = score;
    k++;
  };
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    if (b) {
      const s = scores?.[i];
      push(startFrame + i, b, src, s == null ? NaN : s);
      last = b;
    } else if (!prevNull && last) {
      push(startFrame + i, last, src | KEY_OUTSIDE, NaN);
    }
    prevNull = !b;
  }
  if (!prevNull && last) push(startFrame + boxes.length, last, src | KEY_OUTSIDE, NaN);
  return out;
}

/** Keyframes from plain records (sorted by frame here; a later duplicate frame wins). */
export function keyframesFromList(list: readonly Keyframe[]): KeyframeTable {
  const sorted = [...list].sort((a, b) => a.frame - b.frame);
  const dedup: Keyframe[] = [];
  for (const k of sorted) {
    if (dedup.length && dedup[dedup.length - 1]!.frame === k.frame) dedup[dedup.length - 1] = k;
    else dedup.push(k);
  }
  const out = allocKeys(dedup.length);
  dedup.forEach((k, i) => {
    out.frames[i] = k.frame;
    out.boxes.set(k.box, i * 4);
    out.flags[i] = (k.outside ? KEY_OUTSIDE : 0) | (k.occluded ? KEY_OCCLUDED : 0) | sourceBits(k.source);
    out.scores[i] = k.score ?? NaN;
  });
  return out;
}

export function keyAt(keys: KeyframeTable, i: number): Keyframe {
  const f = keys.flags[i]!;
  const score = keys.scores[i]!;
  const k: Keyframe = {
    frame: keys.frames[i]!,
    box: [keys.boxes[i * 4]!, keys.boxes[i * 4 + 1]!, keys.boxes[i * 4 + 2]!, keys.boxes[i * 4 + 3]!],
    outside: (f & KEY_OUTSIDE) !== 0,
    occluded: (f & KEY_OCCLUDED) !== 0,
    source: sourceOf(f),
  };
  if (!Number.isNaN(score)) k.score = score;
  return k;
}

export function keyList(keys: KeyframeTable): Keyframe[] {
  const out: Keyframe[] = [];
  for (let i = 0; i < keys.frames.length; i++) out.push(keyAt(keys, i));
  return out;
}

/** Index of the last keyframe at or before `frame`, or -1. */
export function keyIndexAtOrBefore(keys: KeyframeTable, frame: number): number {
  const fr = keys.frames;
  let lo = 0;
  let hi = fr.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fr[mid]! <= frame) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

export interface BoxState {
  box: Box;
  occluded: boolean;
  /** True when `frame` is itself a keyframe. */
  isKey: boolean;
  /** Score of the keyframe at this frame, if any. */
  score?: number;
  source: KeySource;
}

/**
 * The box at a frame, linearly interpolated between keyframes; null where the instance is not
 * visible (before its first keyframe, or from an outside keyframe until the next visible one).
 */
export function boxAt(keys: KeyframeTable, frame: number): BoxState | null {
  const i = keyIndexAtOrBefore(keys, frame);
  if (i < 0) return null;
  const f = keys.flags[i]!;
  if (f & KEY_OUTSIDE) return null;
  const b = keys.boxes;
  const a0 = i * 4;
  const isKey = keys.frames[i] === frame;
  const state: BoxState = {
    box: [b[a0]!, b[a0 + 1]!, b[a0 + 2]!, b[a0 + 3]!],
    occluded: (f & KEY_OCCLUDED) !== 0,
    isKey,
    source: sourceOf(f),
  };
  if (isKey) {
    const s = keys.scores[i]!;
    if (!Number.isNaN(s)) state.score = s;
    return state;
  }
  const j = i + 1;
  if (j < keys.frames.length && !(keys.flags[j]! & KEY_OUTSIDE)) {
    const t = (frame - keys.frames[i]!) / (keys.frames[j]! - keys.frames[i]!);
    const b0 = j * 4;
    for (let c = 0; c < 4; c++) state.box[c] = b[a0 + c]! + (b[b0 + c]! - b[a0 + c]!) * t;
  }
  return state;
}

/** Visible stretches as inclusive [start, end] frame ranges, clipped to [0, frameCount). */
export function visibleRanges(keys: KeyframeTable, frameCount: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  const n = keys.frames.length;
  for (let i = 0; i < n; i++) {
    const outside = (keys.flags[i]! & KEY_OUTSIDE) !== 0;
    if (!outside && start < 0) start = keys.frames[i]!;
    else if (outside && start >= 0) {
      out.push([start, keys.frames[i]! - 1]);
      start = -1;
    }
  }
  if (start >= 0) out.push([start, frameCount - 1]);
  return out
    .map(([a, b]): [number, number] => [Math.max(0, a), Math.min(frameCount - 1, b)])
    .filter(([a, b]) => a <= b);
}

/** Bytes held by a keyframe table (for memory accounting). */
export function keyBytes(keys: KeyframeTable): number {
  return keys.frames.byteLength + keys.boxes.byteLength + keys.flags.byteLength + keys.scores.byteLength;
}

/**
 * The track's visible keys inside frames first..last, with the interpolated box added as a key at
 * an edge the track crosses: formats that refuse frames outside the video (CVAT, Label Studio)
 * would otherwise hold the last key inside it to the end, where the track was still moving toward
 * one beyond. Outside keys stay wherever they are: they only say where a stretch ends.
 */
export function keysWithin(keys: KeyframeTable, first: number, last: number): KeyframeTable {
  const n = keys.frames.length;
  if (!n || (keys.frames[0]! >= first && keys.frames[n - 1]! <= last)) return keys;
  const list = keyList(keys).filter((k) => k.outside || (k.frame >= first && k.frame <= last));
  for (const edge of [first, last]) {
    if (list.some((k) => k.frame === edge)) continue;
    const at = boxAt(keys, edge);
    if (at) list.push({ frame: edge, box: at.box, outside: false, occluded: at.occluded, source: at.source });
  }
  return keyframesFromList(list.sort((p, q) => p.frame - q.frame));
}
