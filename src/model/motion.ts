import { boxAt, KEY_OUTSIDE, keyIndexAtOrBefore } from './keyframes';
import type { Box, KeyframeTable } from './types';

export function boxCenter(b: Readonly<Box>): [number, number] {
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}

export interface MotionVector {
  /** Displacement of the box centre, in video pixels. */
  dx: number;
  dy: number;
  /** Frames the displacement was measured over (≤ the window asked for). */
  frames: number;
}

/**
 * Displacement of the box centre from `frame` to `frame + window`, or to the last visible frame
 * before it when the instance leaves earlier. Null when not visible at `frame`.
 */
export function motionVector(keys: KeyframeTable, frame: number, window: number): MotionVector | null {
  const here = boxAt(keys, frame);
  if (!here) return null;
  const [cx, cy] = boxCenter(here.box);
  for (let w = window; w > 0; w--) {
    const there = boxAt(keys, frame + w);
    if (there) {
      const [tx, ty] = boxCenter(there.box);
      return { dx: tx - cx, dy: ty - cy, frames: w };
    }
  }
  return { dx: 0, dy: 0, frames: 0 };
}

/**
 * Box centres from `from` to `to` inclusive, as x,y pairs; NaN where the instance is not visible
 * (a drawing breaks the trail there).
 */
export function trajectory(keys: KeyframeTable, from: number, to: number, step = 1): Float32Array {
  const n = Math.max(0, Math.floor((to - from) / step) + 1);
  const out = new Float32Array(n * 2);
  const { frames, boxes, flags } = keys;
  const len = frames.length;
  // One walk along the keys instead of a binary search per frame: trails of 1,000 tracks are drawn every frame.
  let i = keyIndexAtOrBefore(keys, from);
  for (let k = 0; k < n; k++) {
    const f = from + k * step;
    while (i + 1 < len && frames[i + 1]! <= f) i++;
    if (i < 0 || flags[i]! & KEY_OUTSIDE) {
      out[k * 2] = NaN;
      out[k * 2 + 1] = NaN;
      continue;
    }
    const a = i * 4;
    let x = (boxes[a]! + boxes[a + 2]!) / 2;
    let y = (boxes[a + 1]! + boxes[a + 3]!) / 2;
    const j = i + 1;
    if (frames[i] !== f && j < len && !(flags[j]! & KEY_OUTSIDE)) {
      const t = (f - frames[i]!) / (frames[j]! - frames[i]!);
      const b = j * 4;
      x += ((boxes[b]! + boxes[b + 2]!) / 2 - x) * t;
      y += ((boxes[b + 1]! + boxes[b + 3]!) / 2 - y) * t;
    }
    out[k * 2] = x;
    out[k * 2 + 1] = y;
  }
  return out;
}
