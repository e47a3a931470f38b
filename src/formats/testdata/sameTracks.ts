/** Test helper for the interchange round trips: two annotations show the same boxes on every frame. */

import { expect } from 'vitest';
import { boxAt } from '../../model/keyframes';
import type { Annotation } from '../../model/types';

/** What a track shows on each frame: null (not visible), or its box and occluded flag. */
export function shown(a: Annotation, trackIndex: number): Array<{ box: number[]; occluded: boolean } | null> {
  const t = a.tracks[trackIndex]!;
  return Array.from({ length: a.video.frameCount + 1 }, (_, f) => {
    const st = boxAt(t.keys, f);
    return st && { box: st.box, occluded: st.occluded };
  });
}

/**
 * Same track ids and categories, and on every frame the same visibility, boxes within `tol` pixels
 * and the same occluded flag (unless the format cannot carry it).
 */
export function expectSameTracks(a: Annotation, b: Annotation, opts: { tol?: number; occluded?: boolean; ids?: boolean } = {}): void {
  const tol = opts.tol ?? 1e-3;
  if (opts.ids !== false) expect(b.tracks.map((t) => [t.id, t.category])).toEqual(a.tracks.map((t) => [t.id, t.category]));
  else expect(b.tracks.map((t) => t.category)).toEqual(a.tracks.map((t) => t.category));
  expect(b.video.frameCount).toBe(a.video.frameCount);
  a.tracks.forEach((_, i) => {
    const sa = shown(a, i);
    const sb = shown(b, i);
    sa.forEach((x, f) => {
      const y = sb[f];
      expect(y === null, `track ${i} frame ${f} visibility`).toBe(x === null);
      if (!x || !y) return;
      x.box.forEach((v, c) => expect(Math.abs(y.box[c]! - v), `track ${i} frame ${f} box[${c}]: ${y.box[c]} vs ${v}`).toBeLessThanOrEqual(tol));
      if (opts.occluded !== false) expect(y.occluded, `track ${i} frame ${f} occluded`).toBe(x.occluded);
    });
  });
}
