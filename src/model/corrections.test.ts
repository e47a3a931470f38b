import { describe, expect, it } from 'vitest';
import { effectiveKeys, mergeLinear } from './corrections';
import { boxAt, keyframesFromDense, keyframesFromList, visibleRanges } from './keyframes';
import type { Box, Track } from './types';

const opts = { reach: 20 };
/** A dense model track moving right 1 px/frame, drifting +0.5 px/frame from frame 50. */
function drifting(n = 100): Track {
  const boxes: Box[] = Array.from({ length: n }, (_, f) => {
    const d = f >= 50 ? 0.5 * (f - 50) : 0;
    return [f + d, 10, f + 20 + d, 30];
  });
  return { id: 't', category: 'dog', provenance: 'model', keys: keyframesFromDense(0, boxes) };
}
const truth = (f: number): Box => [f, 10, f + 20, 30];
const human = (list: Array<{ frame: number; box: Box; outside?: boolean; occluded?: boolean }>) =>
  keyframesFromList(list.map((k) => ({ outside: false, occluded: false, ...k, source: 'human' as const })));
const x1At = (t: Track, f: number) => boxAt(effectiveKeys(t, opts), f)?.box[0];

describe('fading corrections', () => {
  it('without human keys, the model keys are the effective keys (no copy)', () => {
    const t = drifting();
    expect(effectiveKeys(t, opts)).toBe(t.keys);
  });

  it('a human key wins at its frame and its delta fades out over `reach` on each side', () => {
    const t = drifting();
    const fixed: Track = { ...t, human: human([{ frame: 90, box: truth(90) }]) };
    expect(x1At(fixed, 90)).toBeCloseTo(90);
    // Model at 90 is off by +20 (median of 88..92 = 20): at distance d the delta is 20·(1 − d/20).
    const model = (f: number) => f + 0.5 * (f - 50);
    expect(x1At(fixed, 80)).toBeCloseTo(model(80) - 20 * 0.5, 4);
    expect(x1At(fixed, 95)).toBeCloseTo(model(95) - 20 * 0.75, 4);
    expect(x1At(fixed, 70)).toBeCloseTo(model(70), 4); // beyond reach: untouched
    expect(x1At(fixed, 40)).toBeCloseTo(40, 4);
  });

  it('between two human keys the deltas blend linearly, so a linear drift is repaired exactly', () => {
    const t = drifting();
    const fixed: Track = { ...t, human: human([{ frame: 60, box: truth(60) }, { frame: 99, box: truth(99) }]) };
    for (const f of [61, 70, 85, 98]) expect(x1At(fixed, f)).toBeCloseTo(f, 1);
  });

  it('measures the delta against the median model box, so fixing a glitch leaves neighbours alone', () => {
    const boxes: Box[] = Array.from({ length: 40 }, (_, f) => truth(f));
    boxes[20] = [200, 100, 220, 120]; // one wild box
    const t: Track = { id: 'g', category: 'x', provenance: 'model', keys: keyframesFromDense(0, boxes), human: human([{ frame: 20, box: truth(20) }]) };
    for (const f of [15, 19, 21, 25]) expect(x1At(t, f)).toBeCloseTo(f, 4);
    expect(x1At(t, 20)).toBeCloseTo(20, 4);
  });

  it('a human outside key hides the instance until the next human key', () => {
    const t = drifting();
    const fixed: Track = { ...t, human: human([{ frame: 30, box: truth(30), outside: true }, { frame: 60, box: truth(60) }]) };
    const eff = effectiveKeys(fixed, opts);
    expect(boxAt(eff, 29)).not.toBeNull();
    expect(boxAt(eff, 30)).toBeNull();
    expect(boxAt(eff, 59)).toBeNull();
    expect(boxAt(eff, 60)?.box[0]).toBeCloseTo(60);
    expect(visibleRanges(eff, 100)).toEqual([
      [0, 29],
      [60, 99],
    ]);
  });

  it('occluded carries from a human key to the model boxes after it', () => {
    const t = drifting();
    const fixed: Track = { ...t, human: human([{ frame: 10, box: truth(10), occluded: true }, { frame: 20, box: truth(20) }]) };
    const eff = effectiveKeys(fixed, opts);
    expect(boxAt(eff, 15)?.occluded).toBe(true);
    expect(boxAt(eff, 25)?.occluded).toBe(false);
    expect(boxAt(eff, 5)?.occluded).toBe(false);
  });

  it('a human key inside a stretch the model missed bridges it', () => {
    const boxes: Array<Box | null> = Array.from({ length: 60 }, (_, f) => (f >= 20 && f < 40 ? null : truth(f)));
    const t: Track = { id: 'm', category: 'ball', provenance: 'model', keys: keyframesFromDense(0, boxes) };
    expect(boxAt(effectiveKeys(t, opts), 30)).toBeNull();
    const fixed: Track = { ...t, human: human([{ frame: 30, box: truth(30) }]) };
    const eff = effectiveKeys(fixed, opts);
    for (const f of [20, 25, 30, 35, 39]) expect(boxAt(eff, f)?.box[0]).toBeCloseTo(f, 4);
  });

  it('a track drawn by a person holds its last box until marked outside (CVAT)', () => {
    const t: Track = { id: 'h', category: 'cat', provenance: 'human', keys: keyframesFromList([]), human: human([{ frame: 5, box: truth(5) }, { frame: 15, box: truth(15) }]) };
    const eff = effectiveKeys(t, opts);
    expect(boxAt(eff, 4)).toBeNull();
    expect(boxAt(eff, 10)?.box[0]).toBeCloseTo(10);
    expect(boxAt(eff, 40)?.box[0]).toBeCloseTo(15);
  });
});

describe('linear interpolation (CVAT)', () => {
  it('a correction on a dense proposal moves only its own frame', () => {
    const t: Track = { ...drifting(), interpolation: 'linear', human: human([{ frame: 90, box: truth(90) }]) };
    expect(x1At(t, 90)).toBeCloseTo(90);
    expect(x1At(t, 89)).toBeCloseTo(89 + 0.5 * 39);
    expect(x1At(t, 91)).toBeCloseTo(91 + 0.5 * 41);
  });

  it('interpolates linearly between sparse keys, human replacing model at a shared frame', () => {
    const base = keyframesFromList([
      { frame: 0, box: [0, 0, 10, 10], outside: false, occluded: false, source: 'model' },
      { frame: 10, box: [10, 0, 20, 10], outside: false, occluded: false, source: 'model' },
      { frame: 20, box: [20, 0, 30, 10], outside: false, occluded: false, source: 'model' },
    ]);
    const merged = mergeLinear(base, human([{ frame: 10, box: [30, 0, 40, 10] }]));
    expect(Array.from(merged.frames)).toEqual([0, 10, 20]);
    expect(boxAt(merged, 5)?.box[0]).toBeCloseTo(15);
    expect(boxAt(merged, 15)?.box[0]).toBeCloseTo(25);
    expect(boxAt(merged, 10)?.source).toBe('human');
  });

  it('an outside key between two visible keys hides only until the next key', () => {
    const t: Track = { ...drifting(), interpolation: 'linear', human: human([{ frame: 40, box: truth(40), outside: true }]) };
    const eff = effectiveKeys(t, opts);
    expect(boxAt(eff, 40)).toBeNull();
    expect(boxAt(eff, 41)).not.toBeNull();
  });
});
