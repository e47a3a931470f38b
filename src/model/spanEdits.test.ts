import { describe, expect, it } from 'vitest';
import { keyframesFromDense } from './keyframes';
import { addSpan, deleteSpan, mergeWithNext, moveSpan, setCaption, setSpanRange, snapFrame, splitSpan } from './spanEdits';
import { EditError } from './trackEdits';
import type { Annotation, Box } from './types';
import { wordDiff } from './wordDiff';
import { blockingFlags, videoFlags } from './videoFlags';

const ann = (): Annotation => ({
  video: { id: 'v', src: 'v.mp4', width: 640, height: 360, fps: 30, frameCount: 100 },
  tags: [{ category: 'dog' }, { category: 'cat' }],
  tracks: [{ id: '1', category: 'dog', provenance: 'model', keys: keyframesFromDense(10, Array.from({ length: 80 }, (_, i): Box => [100 + 4 * i, 50, 140 + 4 * i, 90])) }],
  spans: [{ id: 's1', trackId: '1', start: 20, end: 40, caption: 'The dog runs to the right.', captionSource: 'model', modelCaption: 'The dog runs to the right.' }],
});

describe('span edits', () => {
  it('add refuses overlaps and frames outside the video', () => {
    const a = addSpan(ann(), '1', 50, 60);
    expect(a.spans.map((s) => [s.start, s.end])).toEqual([
      [20, 40],
      [50, 60],
    ]);
    expect(() => addSpan(ann(), '1', 35, 45)).toThrow(EditError);
    expect(addSpan(ann(), '1', 95, 140).spans[1]!.end).toBe(99);
  });
  it('edges move, spans move by keeping their length, never over a neighbour', () => {
    let a = addSpan(ann(), '1', 50, 60);
    a = setSpanRange(a, 's1', 15, 40);
    expect(a.spans[0]!.start).toBe(15);
    expect(() => setSpanRange(a, 's1', 15, 55)).toThrow(EditError);
    expect(moveSpan(a, 's2', 10).spans[1]).toMatchObject({ start: 60, end: 70 });
    expect(() => moveSpan(a, 's2', -15)).toThrow(EditError);
  });
  it('split and merge', () => {
    const a = splitSpan(ann(), 's1', 30);
    expect(a.spans.map((s) => [s.start, s.end])).toEqual([
      [20, 29],
      [30, 40],
    ]);
    expect(() => splitSpan(ann(), 's1', 20)).toThrow(EditError);
    const m = mergeWithNext(a, 's1');
    expect(m.spans.map((s) => [s.start, s.end])).toEqual([[20, 40]]);
    expect(() => mergeWithNext(ann(), 's1')).toThrow(EditError);
    expect(deleteSpan(ann(), 's1').spans).toHaveLength(0);
  });
  it('a caption edit becomes the person\'s, back to the model text is the model\'s again', () => {
    const a = setCaption(ann(), 's1', 'The dog runs to the left.');
    expect(a.spans[0]).toMatchObject({ captionSource: 'human', modelCaption: 'The dog runs to the right.' });
    expect(setCaption(a, 's1', 'The dog runs to the right.').spans[0]!.captionSource).toBe('model');
  });
  it('snaps to the nearest candidate within a radius', () => {
    expect(snapFrame(52, [40, 50, 60], 3)).toBe(50);
    expect(snapFrame(45, [40, 50, 60], 3)).toBe(45);
  });
});

describe('word diff', () => {
  it('marks removed and added words', () => {
    expect(wordDiff('The dog runs to the right.', 'The brown dog runs to the left.')).toEqual([
      { op: 'same', text: 'The' },
      { op: 'added', text: 'brown' },
      { op: 'same', text: 'dog runs to the' },
      { op: 'removed', text: 'right.' },
      { op: 'added', text: 'left.' },
    ]);
  });
});

describe('video flags', () => {
  const keysOf = (t: Annotation['tracks'][number]) => t.keys;
  it('a true caption inside the visible stretch has no flags; a wrong one and a span off the track have', () => {
    expect(videoFlags(ann(), keysOf)).toEqual([]);
    let a = setCaption(ann(), 's1', 'The cat runs to the left.');
    a = addSpan(a, '1', 92, 99, 'The dog runs to the right.');
    const flags = videoFlags(a, keysOf);
    expect(flags.map((f) => f.kind).sort()).toEqual(['category', 'direction', 'short', 'visibility']);
    const dismissed = { ...a, dismissed: Object.fromEntries(flags.map((f) => [f.id, 'checked by hand'])) };
    expect(blockingFlags(videoFlags(dismissed, keysOf))).toEqual([]);
  });
  it('flags imported spans that overlap', () => {
    const a = ann();
    a.spans.push({ ...a.spans[0]!, id: 's9', start: 30, end: 50 });
    expect(videoFlags(a, keysOf).filter((f) => f.kind === 'overlap').map((f) => f.spanId)).toEqual(['s1', 's9']);
  });
});

describe('spanSnapFrames', () => {
  it('offers visibility changes, people’s keys and both sides of each boundary, not assisted keys', async () => {
    const { spanSnapFrames } = await import('./spanEdits');
    const { keyframesFromList } = await import('./keyframes');
    const keys = keyframesFromList([
      { frame: 10, box: [0, 0, 5, 5], outside: false, occluded: false, source: 'model' },
      { frame: 20, box: [0, 0, 5, 5], outside: false, occluded: false, source: 'human' },
      { frame: 21, box: [0, 0, 5, 5], outside: false, occluded: false, source: 'assisted' },
      { frame: 40, box: [0, 0, 5, 5], outside: true, occluded: false, source: 'model' },
    ]);
    expect(spanSnapFrames(keys, 100, [30]).sort((a, b) => a - b)).toEqual([10, 20, 29, 30, 39]);
  });
});
