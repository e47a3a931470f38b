import { describe, expect, it } from 'vitest';
import { globalShift } from './cameraMotion';
import { featureMap, type FeatureMap } from './featureMap';

/** A smooth texture sampled with its content moved by (ox, oy) cells, stride 4 over a 320×192 video. */
function textured(ox: number, oy: number, blob?: { x: number; y: number }): FeatureMap {
  const C = 4, W = 80, H = 48;
  const d = new Float32Array(C * W * H);
  for (let c = 0; c < C; c++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const u = x - ox;
        const v = y - oy;
        let val = Math.sin(0.37 * u + c) * Math.cos(0.29 * v - 2 * c) + 0.5 * Math.sin(0.11 * (u - 2 * v) + c * c);
        if (blob && Math.hypot(x - blob.x, y - blob.y) < 5) val = 3;
        d[c * W * H + y * W + x] = val;
      }
  return featureMap(d, C, W, H, 320, 192);
}

describe('globalShift', () => {
  it('recovers whole and fractional shifts, with the sign of the content’s motion', () => {
    for (const [sx, sy] of [[2, -1], [-3, 0], [0.4, -0.3], [-0.15, 0.6], [0, 0]] as const) {
      const r = globalShift(textured(0, 0), textured(sx, sy));
      expect(r.dx / 4, `dx for ${sx},${sy}`).toBeCloseTo(sx, 0.6);
      expect(Math.abs(r.dx / 4 - sx)).toBeLessThan(0.25);
      expect(Math.abs(r.dy / 4 - sy)).toBeLessThan(0.25);
    }
  });
  it('ignores a small object moving over a still background', () => {
    const r = globalShift(textured(0, 0, { x: 30, y: 20 }), textured(0, 0, { x: 34, y: 22 }));
    expect(Math.abs(r.dx)).toBeLessThan(1);
    expect(Math.abs(r.dy)).toBeLessThan(1);
  });
});
