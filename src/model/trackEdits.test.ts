import { describe, expect, it } from 'vitest';
import { effectiveKeys } from './corrections';
import { boxAt, keyframesFromDense, keyList } from './keyframes';
import { addTrack, deleteKey, deleteTrack, EditError, mergeTracks, setCategory, setInterpolation, setKey, splitTrack, swapAfter, truncateTrack } from './trackEdits';
import type { Annotation, Box, Track } from './types';

const opts = { reach: 10 };
const mover = (id: string, dx: number, y: number, from = 0, to = 50): Track => ({
  id,
  category: 'person',
  provenance: 'model',
  keys: keyframesFromDense(
    from,
    Array.from({ length: to - from }, (_, i): Box => [(from + i) * dx, y, (from + i) * dx + 10, y + 10]),
  ),
});
function ann(...tracks: Track[]): Annotation {
  return {
    video: { id: 'v', src: 'v.mp4', width: 640, height: 360, fps: 30, frameCount: 60 },
    tags: [],
    tracks,
    spans: tracks.map((t, i) => ({ id: `s${i}`, trackId: t.id, start: 30, end: 40, caption: 'c', captionSource: 'model' as const, modelCaption: 'c' })),
  };
}
const at = (a: Annotation, id: string, f: number) => boxAt(effectiveKeys(a.tracks.find((t) => t.id === id)!, opts), f);
/** Deep snapshot of an annotation including typed arrays, to prove edits never mutate their input. */
const snap = (a: Annotation) =>
  JSON.stringify(a, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));

describe('track edits', () => {
  it('setKey adds a human key and never mutates the input (undo = keep the old object)', () => {
    const a = ann(mover('1', 2, 0));
    const before = snap(a);
    const b = setKey(a, '1', 20, { box: [100, 0, 110, 10] }, opts);
    expect(snap(a)).toBe(before);
    expect(at(b, '1', 20)?.box).toEqual([100, 0, 110, 10]);
    expect(at(b, '1', 20)?.source).toBe('human');
    // A second patch at the same frame replaces it; outside then hides from there.
    const c = setKey(b, '1', 20, { outside: true }, opts);
    expect(at(c, '1', 20)).toBeNull();
    expect(at(c, '1', 45)).toBeNull();
    expect(keyList(c.tracks[0]!.human!)).toHaveLength(1);
  });

  it('setKey rejects a frame where there is nothing to change', () => {
    const a = ann(mover('1', 2, 0, 10, 20));
    expect(() => setKey(a, '1', 5, { occluded: true }, opts)).toThrow(EditError);
  });

  it('deleteKey removes the human key first, then the model key', () => {
    const a = setKey(ann(mover('1', 2, 0)), '1', 20, { box: [100, 0, 110, 10] }, opts);
    const b = deleteKey(a, '1', 20);
    expect(at(b, '1', 20)?.box).toEqual([40, 0, 50, 10]);
    const c = deleteKey(b, '1', 20);
    expect(c.tracks[0]!.keys.frames.length).toBe(a.tracks[0]!.keys.frames.length - 1);
    expect(() => deleteKey(ann(mover('1', 2, 0)), '1', 55)).toThrow(EditError);
  });

  it('split makes frames from the cut a new instance and moves later spans', () => {
    const a = ann(mover('1', 2, 0));
    const b = splitTrack(a, '1', 30);
    expect(b.tracks.map((t) => t.id)).toEqual(['1', '2']);
    expect(at(b, '1', 29)?.box[0]).toBe(58);
    expect(at(b, '1', 30)).toBeNull();
    expect(at(b, '2', 29)).toBeNull();
    expect(at(b, '2', 30)?.box[0]).toBe(60);
    expect(at(b, '2', 49)?.box[0]).toBe(98);
    expect(b.spans[0]!.trackId).toBe('2');
    expect(() => splitTrack(a, '1', 0)).toThrow(EditError);
  });

  it('swapAfter exchanges identities from a frame on, human keys and spans included', () => {
    let a = ann(mover('1', 2, 0), mover('2', -1, 100));
    a = setKey(a, '1', 40, { box: [1, 1, 11, 11] }, opts);
    const before = snap(a);
    const b = swapAfter(a, '1', '2', 25);
    expect(snap(a)).toBe(before);
    expect(at(b, '1', 24)?.box[1]).toBe(0);
    expect(at(b, '1', 25)?.box[1]).toBe(100);
    expect(at(b, '2', 24)?.box[1]).toBe(100);
    expect(at(b, '2', 25)?.box[1]).toBe(0);
    expect(at(b, '2', 40)?.box).toEqual([1, 1, 11, 11]);
    expect(b.spans.map((s) => s.trackId)).toEqual(['2', '1']);
    // Swapping twice at the same frame gives back the same boxes everywhere.
    const c = swapAfter(b, '1', '2', 25);
    for (const f of [0, 24, 25, 40, 49, 50]) for (const id of ['1', '2']) expect(at(c, id, f)?.box).toEqual(at(a, id, f)?.box);
  });

  it('merge fills the first track with the second where the first is not shown', () => {
    const a = ann(mover('1', 2, 0, 0, 20), mover('7', 2, 0, 25, 50));
    const b = mergeTracks(a, '1', '7', opts);
    expect(b.tracks.map((t) => t.id)).toEqual(['1']);
    expect(at(b, '1', 10)?.box[0]).toBe(20);
    expect(at(b, '1', 22)).toBeNull();
    expect(at(b, '1', 30)?.box[0]).toBe(60);
    expect(at(b, '1', 49)?.box[0]).toBe(98);
    expect(b.spans.every((s) => s.trackId === '1')).toBe(true);
  });

  it('truncate deletes the rest of a track; delete removes it and its spans', () => {
    const a = ann(mover('1', 2, 0), mover('2', 1, 50));
    const b = truncateTrack(a, '1', 20);
    expect(at(b, '1', 19)).not.toBeNull();
    expect(at(b, '1', 20)).toBeNull();
    expect(b.spans.find((s) => s.trackId === '1')).toBeUndefined();
    const c = deleteTrack(a, '2');
    expect(c.tracks.map((t) => t.id)).toEqual(['1']);
    expect(c.spans.map((s) => s.trackId)).toEqual(['1']);
  });

  it('add, category and interpolation', () => {
    const a = ann(mover('1', 2, 0));
    const b = addTrack(a, 'dog', 10, [300, 300, 200, 200]);
    expect(b.tracks[1]!.id).toBe('2');
    expect(at(b, '2', 10)?.box).toEqual([200, 200, 300, 300]); // normalised order
    expect(at(b, '2', 9)).toBeNull();
    expect(() => addTrack(a, '  ', 10, [0, 0, 5, 5])).toThrow(EditError);
    expect(setCategory(a, '1', ' cyclist ').tracks[0]!.category).toBe('cyclist');
    expect(setInterpolation(a, '1', 'linear').tracks[0]!.interpolation).toBe('linear');
  });
});
