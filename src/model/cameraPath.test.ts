import { describe, expect, it } from 'vitest';
import { compensateCamera } from './cameraPath';
import { boxAt, keyframesFromDense } from './keyframes';
import { summarizeMotion } from './motionSummary';
import type { Box } from './types';

describe('compensateCamera', () => {
  it('a box that only follows a panning camera is still in scene coordinates', () => {
    // Camera pans right 4 px/frame: the scene (and a parked car) slides left 4 px/frame in the image.
    const n = 50;
    const camX = Float32Array.from({ length: n }, (_, f) => -4 * f);
    const camY = new Float32Array(n);
    const keys = keyframesFromDense(0, Array.from({ length: n }, (_, f): Box => [300 - 4 * f, 100, 340 - 4 * f, 140]));
    expect(summarizeMotion(keys, 0, n - 1, 25)!.direction).toBe('left');
    const scene = compensateCamera(keys, camX, camY);
    expect(boxAt(scene, 30)!.box).toEqual([300, 100, 340, 140]);
    expect(summarizeMotion(scene, 0, n - 1, 25)!.shape).toBe('still');
  });
  it('keeps frames past the path at its last position', () => {
    const keys = keyframesFromDense(0, [[0, 0, 10, 10], [0, 0, 10, 10], [0, 0, 10, 10]]);
    const out = compensateCamera(keys, Float32Array.from([0, 5]), Float32Array.from([0, 1]));
    expect(boxAt(out, 2)!.box).toEqual([-5, -1, 5, 9]);
  });
});
