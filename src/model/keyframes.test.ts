import { describe, expect, it } from 'vitest';
import { boxAt, keyAt, keyCount, keyframesFromDense, keyframesFromList, keyList, keysWithin, visibleRanges, keyBytes } from './keyframes';
import { motionVector, trajectory } from './motion';
import type { Box } from './types';

const b = (x: number, y = 0, w = 10, h = 10): Box => [x, y, x + w, y + h];

describe('keyframesFromDense', () => {
  it('stores a dense track as one keyframe per box with an outside key per null run and at the end', () => {
    const keys = keyframesFromDense(5, [b(0), b(1), null, null, b(4)], [0.9, 0.8, null, null, 0.7]);
    expect(Array.from(keys.frames)).toEqual([5, 6, 7, 9, 10]);
    expect(keyAt(keys, 2).outside).toBe(true);
    expect(keyAt(keys, 4).outside).toBe(true);
    expect(keyAt(keys, 0).score).toBeCloseTo(0.9);
    expect(keyAt(keys, 2).score).toBeUndefined();
    expect(keyAt(keys, 0).source).toBe('model');
  });

  it('handles leading nulls and an all-null track', () => {
    expect(Array.from(keyframesFromDense(0, [null, b(1)]).frames)).toEqual([1, 2]);
    expect(keyCount(keyframesFromDense(0, [null, null]))).toBe(0);
  });
});

describe('boxAt', () => {
  const keys = keyframesFromList([
    { frame: 10, box: b(0), outside: false, occluded: false, source: 'human' },
    { frame: 20, box: b(100, 50), outside: false, occluded: true, source: 'model' },
    { frame: 30, box: b(100, 50), outside: true, occluded: false, source: 'model' },
    { frame: 40, box: b(0), outside: false, occluded: false, source: 'model' },
  ]);

  it('is null before the first keyframe and inside an outside stretch', () => {
    expect(boxAt(keys, 9)).toBeNull();
    expect(boxAt(keys, 30)).toBeNull();
    expect(boxAt(keys, 39)).toBeNull();
  });

  it('interpolates linearly between visible keyframes', () => {
    const s = boxAt(keys, 15)!;
    expect(s.box).toEqual([50, 25, 60, 35]);
    expect(s.isKey).toBe(false);
    expect(boxAt(keys, 10)!.isKey).toBe(true);
    expect(boxAt(keys, 10)!.source).toBe('human');
  });

  it('holds the box before an outside keyframe and keeps occlusion', () => {
    const s = boxAt(keys, 25)!;
    expect(s.box).toEqual([100, 50, 110, 60]);
    expect(s.occluded).toBe(true);
  });

  it('persists after the last visible keyframe (CVAT semantics)', () => {
    expect(boxAt(keys, 1000)!.box).toEqual(b(0));
  });

  it('lists visible ranges', () => {
    expect(visibleRanges(keys, 100)).toEqual([
      [10, 29],
      [40, 99],
    ]);
  });

  it('later duplicates win in keyframesFromList', () => {
    const k = keyframesFromList([
      { frame: 1, box: b(0), outside: false, occluded: false, source: 'model' },
      { frame: 1, box: b(5), outside: false, occluded: false, source: 'human' },
    ]);
    expect(keyCount(k)).toBe(1);
    expect(keyAt(k, 0).source).toBe('human');
  });
});

describe('keysWithin', () => {
  const key = (frame: number, x: number, outside = false) => ({ frame, box: [x, 0, x + 10, 10] as Box, outside, occluded: false, source: 'model' as const });
  it('keeps the keys inside, adds the interpolated box at an edge the track crosses, keeps outside markers', () => {
    const keys = keyframesFromList([key(-10, -20), key(10, 20), key(30, 60), key(40, 60, true)]);
    const got = keyList(keysWithin(keys, 0, 19)).map((k) => [k.frame, k.box[0], k.outside]);
    expect(got).toEqual([[0, 0, false], [10, 20, false], [19, 38, false], [40, 60, true]]);
    for (const f of [0, 5, 10, 15, 19]) expect(boxAt(keysWithin(keys, 0, 19), f)).toEqual(boxAt(keys, f) && { ...boxAt(keys, f)!, isKey: expect.any(Boolean) });
  });
  it('returns the same table when every key is inside', () => {
    const keys = keyframesFromList([key(2, 0), key(5, 5)]);
    expect(keysWithin(keys, 0, 9)).toBe(keys);
  });
});

describe('motion', () => {
  const keys = keyframesFromDense(0, [b(0), b(2), b(4), b(6), null]);
  it('measures centre displacement over a window, shortened at the end of visibility', () => {
    expect(motionVector(keys, 0, 2)).toEqual({ dx: 4, dy: 0, frames: 2 });
    expect(motionVector(keys, 2, 10)).toEqual({ dx: 2, dy: 0, frames: 1 });
    expect(motionVector(keys, 4, 2)).toBeNull();
  });
  it('gives trajectory points with NaN gaps', () => {
    const t = trajectory(keys, 2, 4);
    expect(Array.from(t.slice(0, 4))).toEqual([9, 5, 11, 5]);
    expect(Number.isNaN(t[4]!)).toBe(true);
  });
});

describe('compact storage', () => {
  it('keeps 10,000 dense frames under 260 kB', () => {
    const boxes = Array.from({ length: 10_000 }, (_, i) => b(i % 500, i % 300));
    expect(keyBytes(keyframesFromDense(0, boxes))).toBeLessThan(260_000);
  });
});
