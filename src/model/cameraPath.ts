import type { KeyframeTable } from './types';

/**
 * A track's keys in scene coordinates: each box moved by minus the scene's position at its frame
 * (the camera path, cumulative from frame 0). Frames past the path keep its last position.
 */
export function compensateCamera(keys: KeyframeTable, camX: Float32Array, camY: Float32Array): KeyframeTable {
  const n = camX.length;
  const boxes = new Float32Array(keys.boxes.length);
  for (let i = 0; i < keys.frames.length; i++) {
    const f = Math.max(0, Math.min(n - 1, keys.frames[i]!));
    const dx = n ? camX[f]! : 0;
    const dy = n ? camY[f]! : 0;
    boxes[i * 4] = keys.boxes[i * 4]! - dx;
    boxes[i * 4 + 1] = keys.boxes[i * 4 + 1]! - dy;
    boxes[i * 4 + 2] = keys.boxes[i * 4 + 2]! - dx;
    boxes[i * 4 + 3] = keys.boxes[i * 4 + 3]! - dy;
  }
  return { frames: keys.frames, boxes, flags: keys.flags, scores: keys.scores };
}
