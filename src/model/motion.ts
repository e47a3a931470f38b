import { boxAt } from './keyframes';
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
  for (let i = 0; i < n; i++) {
    const s = boxAt(keys, from + i * step);
    if (s) {
      out[i * 2] = (s.box[0] + s.box[2]) / 2;
      out[i * 2 + 1] = (s.box[1] + s.box[3]) / 2;
    } else {
      out[i * 2] = NaN;
      out[i * 2 + 1] = NaN;
    }
  }
  return out;
}
