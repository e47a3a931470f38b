import { describe, expect, it } from 'vitest';
import { keyframesFromDense } from './keyframes';
import { direction8, summarizeMotion } from './motionSummary';
import type { Box } from './types';

const FPS = 30;
/** A 40×40 box whose centre follows `path(t)` for t in 0..1 over `n` frames, with optional jitter. */
function track(path: (t: number) => [number, number], n = 60, size = (_t: number) => 40, jitter = 0) {
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2 * jitter;
  const boxes = Array.from({ length: n }, (_, f): Box => {
    const t = f / (n - 1);
    const [x, y] = path(t);
    const s = size(t) / 2;
    return [x - s + rnd(), y - s + rnd(), x + s + rnd(), y + s + rnd()];
  });
  return keyframesFromDense(0, boxes);
}
const summary = (keys: ReturnType<typeof track>, n = 60) => summarizeMotion(keys, 0, n - 1, FPS)!;

describe('motion summary', () => {
  const dirs: Array<[string, number, number]> = [
    ['right', 1, 0],
    ['down-right', 1, 1],
    ['down', 0, 1],
    ['down-left', -1, 1],
    ['left', -1, 0],
    ['up-left', -1, -1],
    ['up', 0, -1],
    ['up-right', 1, -1],
  ];
  for (const [name, ux, uy] of dirs) {
    it(`moving ${name} is ${name}, straight`, () => {
      const s = summary(track((t) => [300 + ux * 200 * t, 200 + uy * 200 * t], 60, () => 40, 1));
      expect(s.direction).toBe(name);
      expect(s.shape).toBe('straight');
      expect(s.netBoxes).toBeGreaterThan(4);
      expect(s.speed).toBe('fast');
      expect(s.text).toContain(`moves ${name}`);
    });
  }

  it('direction8 splits the circle into 45° sectors, y growing downwards', () => {
    expect(direction8(10, 1)).toBe('right');
    expect(direction8(-10, -1)).toBe('left');
    expect(direction8(0, -5)).toBe('up');
    expect(direction8(3, 3)).toBe('down-right');
  });

  it('a jittering box that goes nowhere is still', () => {
    const s = summary(track(() => [300, 200], 60, () => 40, 1.5));
    expect(s.shape).toBe('still');
    expect(s.direction).toBeNull();
    expect(s.speed).toBe('still');
    expect(s.text).toBe('stays still');
  });

  it('going left and right again is back-and-forth, not a direction', () => {
    const s = summary(track((t) => [300 + 120 * Math.sin(t * 4 * Math.PI), 200], 90), 90);
    expect(s.shape).toBe('back-and-forth');
    expect(s.text).toContain('back and forth');
  });

  it('a growing box approaches, a shrinking one recedes', () => {
    expect(summary(track(() => [300, 200], 60, (t) => 40 + 40 * t)).scale).toBe('approaching');
    const away = summary(track((t) => [300 + 60 * t, 200], 60, (t) => 80 - 40 * t));
    expect(away.scale).toBe('receding');
    expect(away.text).toContain('receding');
  });

  it('a quarter circle is turning', () => {
    const s = summary(track((t) => [300 + 150 * Math.sin((t * Math.PI) / 2), 200 - 150 * Math.cos((t * Math.PI) / 2)]));
    expect(s.shape).toBe('turning');
  });

  it('slow drift is slow; no box in the span gives null', () => {
    expect(summary(track((t) => [300 + 15 * t, 200], 60)).speed).toBe('slow');
    expect(summarizeMotion(track((t) => [t, 0], 10), 20, 30, FPS)).toBeNull();
  });
});

describe('trajectory', () => {
  it('equals the centres of boxAt at every frame (the fast walk is exact)', async () => {
    const { trajectory } = await import('./motion');
    const { boxAt, keyframesFromDense, keyframesFromList } = await import('./keyframes');
    const dense = keyframesFromDense(3, Array.from({ length: 40 }, (_, i): Box | null => (i % 11 < 3 ? null : [i, 2 * i, i + 10, 2 * i + 10])));
    const sparse = keyframesFromList([
      { frame: 5, box: [0, 0, 10, 10], outside: false, occluded: false, source: 'model' },
      { frame: 15, box: [20, 10, 30, 20], outside: false, occluded: false, source: 'human' },
      { frame: 20, box: [20, 10, 30, 20], outside: true, occluded: false, source: 'human' },
      { frame: 30, box: [40, 10, 50, 20], outside: false, occluded: false, source: 'human' },
    ]);
    for (const keys of [dense, sparse]) {
      const t = trajectory(keys, 0, 50);
      for (let f = 0; f <= 50; f++) {
        const s = boxAt(keys, f);
        if (!s) expect(Number.isNaN(t[f * 2]!)).toBe(true);
        else {
          expect(t[f * 2]).toBeCloseTo((s.box[0] + s.box[2]) / 2, 4);
          expect(t[f * 2 + 1]).toBeCloseTo((s.box[1] + s.box[3]) / 2, 4);
        }
      }
    }
  });
});
