import { describe, expect, it } from 'vitest';
import { keyframesFromDense } from '../model/keyframes';
import { addTrack, deleteKey, deleteTrack, mergeTracks, setCategory, setInterpolation, setKey, splitTrack, swapAfter, truncateTrack } from '../model/trackEdits';
import type { Annotation, Box, Track } from '../model/types';
import { applyEdit, historyInfo, redo, resetHistory, undo } from './history';
import { studio } from './studioStore';

const mover = (id: string, dx: number, y: number, from = 0, to = 60): Track => ({
  id,
  category: 'person',
  provenance: 'model',
  keys: keyframesFromDense(from, Array.from({ length: to - from }, (_, i): Box => [(from + i) * dx, y, (from + i) * dx + 10, y + 10])),
});
const start = (): Annotation => ({
  video: { id: 'v', src: 'v.mp4', width: 640, height: 360, fps: 30, frameCount: 60 },
  tags: [{ category: 'person' }],
  tracks: [mover('1', 2, 0), mover('2', -1, 100), mover('3', 1, 200, 30, 60)],
  spans: [{ id: 's', trackId: '1', start: 35, end: 50, caption: 'c', captionSource: 'model', modelCaption: 'c' }],
});
/** A deep, typed-array-aware snapshot. */
const snap = (a: Annotation | null) => JSON.stringify(a, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));

describe('history', () => {
  it('undo of every kind of edit restores the exact previous state, and redo the next', () => {
    resetHistory();
    studio.setState({ annotation: start(), video: { width: 640, height: 360, frameCount: 60, fps: 30, vfr: false, codec: 'avc', rotation: 0, timestamps: new Float64Array(60) } });
    const edits: Array<[string, Parameters<typeof applyEdit>[1]]> = [
      ['key', (a, o) => setKey(a, '1', 20, { box: [5, 5, 25, 25] }, o)],
      ['outside', (a, o) => setKey(a, '1', 40, { outside: true }, o)],
      ['occluded', (a, o) => setKey(a, '2', 10, { occluded: true }, o)],
      ['delete key', (a) => deleteKey(a, '1', 40)],
      ['interp', (a) => setInterpolation(a, '2', 'linear')],
      ['category', (a) => setCategory(a, '2', 'cyclist')],
      ['split', (a) => splitTrack(a, '1', 30)],
      ['swap', (a) => swapAfter(a, '1', '2', 15)],
      ['merge', (a, o) => mergeTracks(a, '3', '4', o)],
      ['truncate', (a) => truncateTrack(a, '2', 50)],
      ['add', (a) => addTrack(a, 'dog', 5, [1, 2, 30, 40])],
      ['delete', (a) => deleteTrack(a, '1')],
    ];
    const states = [snap(studio.getState().annotation)];
    for (const [label, fn] of edits) {
      expect(applyEdit(label, fn)).toBe(true);
      states.push(snap(studio.getState().annotation));
    }
    expect(historyInfo().depth).toBe(edits.length);
    for (let i = edits.length; i > 0; i--) {
      expect(undo()).toBe(edits[i - 1]![0]);
      expect(snap(studio.getState().annotation)).toBe(states[i - 1]);
    }
    expect(undo()).toBeNull();
    for (let i = 1; i <= edits.length; i++) {
      redo();
      expect(snap(studio.getState().annotation)).toBe(states[i]);
    }
    expect(redo()).toBeNull();
  });

  it('an edit that changes nothing is not a step; a new edit clears redo', () => {
    resetHistory();
    studio.setState({ annotation: start() });
    expect(applyEdit('noop', (a) => a)).toBe(false);
    applyEdit('cat', (a) => setCategory(a, '1', 'x'));
    undo();
    expect(historyInfo().redo).toBe('cat');
    applyEdit('cat2', (a) => setCategory(a, '1', 'y'));
    expect(historyInfo().redo).toBeNull();
    expect(studio.getState().annotation?.edited).toBe(true);
  });
});
