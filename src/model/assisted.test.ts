import { describe, expect, it } from 'vitest';
import { applyAssisted } from './assisted';
import { effectiveKeys } from './corrections';
import { boxAt, keyframesFromDense, keyList } from './keyframes';
import { setKey } from './trackEdits';
import type { Annotation, Box } from './types';

const opts = { reach: 20 };

function ann(boxes: Array<Box | null>, start = 0): Annotation {
  return {
    video: { id: 'v', src: 'v.mp4', width: 640, height: 360, fps: 25, frameCount: 100 },
    tags: [],
    tracks: [{ id: 't', category: 'dog', provenance: 'model', keys: keyframesFromDense(start, boxes) }],
    spans: [],
  };
}

const drift = (f: number): Box => [100 + f * 3, 50, 150 + f * 3, 100];

describe('applyAssisted', () => {
  it('replaces the stretch with assisted keys and keeps the model after it', () => {
    const a = ann(Array.from({ length: 60 }, (_, f) => drift(f)));
    const out = applyAssisted(a, 't', [10, 11, 12].map((f) => ({ frame: f, box: [0 + f, 0, 20 + f, 20] as Box, confidence: 0.9 })));
    const keys = out.tracks[0]!.keys;
    expect(boxAt(keys, 11)).toMatchObject({ source: 'assisted', box: [11, 0, 31, 20], score: expect.closeTo(0.9, 5) });
    expect(boxAt(keys, 13)!.box).toEqual(drift(13));
    expect(boxAt(keys, 9)!.box).toEqual(drift(9));
    expect(keyList(keys).map((k) => k.frame)).toEqual(Array.from({ length: 61 }, (_, f) => f));
    expect(a.tracks[0]!.keys.frames.length).toBe(61); // not mutated
  });

  it('re-opens an interpolated model stretch after the assisted one at the right box', () => {
    const a = ann([]);
    a.tracks[0]!.keys = keyframesFromDense(0, [[0, 0, 10, 10]]);
    // sparse model: a key at 0 and its closing outside key at 1 → make a visible sparse pair instead
    const sparse = { ...a, tracks: [{ ...a.tracks[0]!, keys: { frames: Int32Array.from([0, 40]), boxes: Float32Array.from([0, 0, 10, 10, 40, 0, 50, 10]), flags: new Uint8Array(2), scores: Float32Array.from([NaN, NaN]) } }] };
    const out = applyAssisted(sparse, 't', [{ frame: 5, box: [200, 200, 220, 220], confidence: 1 }]);
    expect(boxAt(out.tracks[0]!.keys, 6)!.box).toEqual([6, 0, 16, 10]);
    expect(boxAt(out.tracks[0]!.keys, 4)!.box).toEqual([4, 0, 14, 10]);
  });

  it('keeps a hidden instance hidden after the stretch', () => {
    const a = ann([drift(0), drift(1), null, null, null, null, drift(6)]);
    const out = applyAssisted(a, 't', [{ frame: 2, box: drift(2), confidence: 0.8 }]);
    expect(boxAt(out.tracks[0]!.keys, 2)).not.toBeNull();
    expect(boxAt(out.tracks[0]!.keys, 3)).toBeNull();
    expect(boxAt(out.tracks[0]!.keys, 6)!.box).toEqual(drift(6));
  });

  it('refuses gaps in the propagated frames', () => {
    const a = ann([drift(0), drift(1), drift(2)]);
    expect(() => applyAssisted(a, 't', [{ frame: 0, box: drift(0), confidence: 1 }, { frame: 2, box: drift(2), confidence: 1 }])).toThrow(/consecutive/);
  });

  it('a correction at the anchor of an assisted stretch does not bend it', () => {
    // The person fixed frame 20 of a drifted proposal, then re-tracked from there.
    const a = ann(Array.from({ length: 60 }, (_, f) => drift(f)));
    const fixed: Box = [300, 50, 350, 100];
    let b = setKey(a, 't', 20, { box: fixed }, opts);
    const prop = Array.from({ length: 20 }, (_, i) => ({ frame: 20 + i, box: [300 + i, 50, 350 + i, 100] as Box, confidence: 0.9 }));
    b = applyAssisted(b, 't', prop);
    const eff = effectiveKeys(b.tracks[0]!, opts);
    for (const p of prop) expect(boxAt(eff, p.frame)!.box.map((v) => Math.round(v * 1000) / 1000)).toEqual(p.box);
  });
});
