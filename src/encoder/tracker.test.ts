import { describe, expect, it } from 'vitest';
import { featureMap, type FeatureMap } from './featureMap';
import { Tracker } from './tracker';
import type { Box } from '../model/types';

/** Pseudo-random but smooth texture: a sum of a few sinusoids per channel. */
function texture(c: number, x: number, y: number, seed: number): number {
  return Math.sin(0.7 * x + 1.3 * c + seed) * Math.cos(0.5 * y - 0.9 * c + 2 * seed) + 0.5 * Math.sin(0.23 * (x + y) + c * seed);
}

/** A map of a 320×192 video (stride 4) with a textured object box pasted over a textured background. */
function scene(box: Box | null, opts: { visible?: boolean } = {}): FeatureMap {
  const C = 6, W = 80, H = 48, s = 4;
  const d = new Float32Array(C * W * H);
  for (let c = 0; c < C; c++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const vx = (x + 0.5) * s;
        const vy = (y + 0.5) * s;
        let v = 0.4 * texture(c, vx / 6, vy / 6, 1);
        if (box && opts.visible !== false && vx >= box[0] && vx < box[2] && vy >= box[1] && vy < box[3]) {
          const u = (vx - box[0]) / (box[2] - box[0]);
          const w = (vy - box[1]) / (box[3] - box[1]);
          v = 1.5 + texture(c, u * 6, w * 6, 3);
        }
        d[c * W * H + y * W + x] = v;
      }
  return featureMap(d, C, W, H, 320, 192);
}

function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const i = w * h;
  return i / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i);
}

describe('Tracker', () => {
  const at = (f: number): Box => [60 + 2.3 * f, 90 - 1.1 * f, 100 + 2.3 * f, 130 - 1.1 * f];

  it('follows a moving object', () => {
    const t = new Tracker(at(0), scene(at(0)), { videoWidth: 320, videoHeight: 192 });
    const ious: number[] = [];
    for (let f = 1; f <= 30; f++) {
      const r = t.step(scene(at(f)));
      expect(r.box, `frame ${f}`).not.toBeNull();
      ious.push(iou(r.box!, at(f)));
    }
    expect(ious.reduce((a, b) => a + b) / ious.length).toBeGreaterThan(0.9);
  });

  it('follows backwards too (the order of frames is the caller’s)', () => {
    const t = new Tracker(at(30), scene(at(30)), { videoWidth: 320, videoHeight: 192 });
    let last: Box = at(30);
    for (let f = 29; f >= 10; f--) last = t.step(scene(at(f))).box!;
    expect(iou(last, at(10))).toBeGreaterThan(0.85);
  });

  it('follows a growing object', () => {
    const grow = (f: number): Box => {
      const k = Math.pow(1.02, f);
      return [160 - 20 * k, 96 - 16 * k, 160 + 20 * k, 96 + 16 * k];
    };
    const t = new Tracker(grow(0), scene(grow(0)), { videoWidth: 320, videoHeight: 192 });
    let r = t.step(scene(grow(1)));
    for (let f = 2; f <= 20; f++) r = t.step(scene(grow(f)));
    const b = r.box!;
    expect((b[2] - b[0]) / 40).toBeGreaterThan(1.25);
    expect(iou(b, grow(20))).toBeGreaterThan(0.75);
  });

  it('says it lost the object when it vanishes', () => {
    const t = new Tracker(at(0), scene(at(0)), { videoWidth: 320, videoHeight: 192 });
    for (let f = 1; f <= 5; f++) expect(t.step(scene(at(f))).box).not.toBeNull();
    const gone = t.step(scene(at(6), { visible: false }));
    expect(gone.box).toBeNull();
    expect(gone.confidence).toBeLessThan(0.5);
  });
});

describe('Tracker at the picture edge', () => {
  it('stops when the object drives out of the picture', () => {
    const at = (f: number): Box => [240 + 4 * f, 80, 280 + 4 * f, 110];
    const t = new Tracker(at(0), scene(at(0)), { videoWidth: 320, videoHeight: 192 });
    let f = 1;
    let r = t.step(scene(at(f)));
    while (r.box && f < 40) r = t.step(scene(at(++f)));
    expect(r.lost).toBe('left-view');
    // Half of the 40-px box is out at x1 = 300, i.e. frame 15.
    expect(f).toBeGreaterThanOrEqual(13);
    expect(f).toBeLessThanOrEqual(17);
  });
});
