import { describe, expect, it } from 'vitest';
import { boxAt, keyframesFromList } from './keyframes';
import { fitToFrameSize } from './frameSize';
import type { Annotation } from './types';

const made = (width: number, height: number): Annotation => ({
  video: { id: 'v', src: 'v.mp4', width, height, fps: 30, frameCount: 10 },
  tags: [],
  tracks: [{ id: '1', category: 'dog', provenance: 'model', keys: keyframesFromList([{ frame: 0, box: [100, 50, 300, 250], outside: false, occluded: false, source: 'model' }]) }],
  spans: [],
});

describe('fitToFrameSize', () => {
  it('scales boxes made at another resolution of the same shape to the file', () => {
    const { annotation, note } = fitToFrameSize(made(1280, 720), 640, 360);
    expect(boxAt(annotation.tracks[0]!.keys, 0)!.box).toEqual([50, 25, 150, 125]);
    expect(annotation.video).toMatchObject({ width: 640, height: 360 });
    expect(note).toBe('The proposals are for 1280×720, the video file is 640×360: boxes scaled to it (×0.5).');
  });
  it('leaves boxes of another shape as given, and says so; changes nothing when the sizes agree', () => {
    const other = made(1280, 720);
    const fit = fitToFrameSize(other, 480, 480);
    expect(fit.annotation).toBe(other);
    expect(fit.note).toMatch(/1280×720 picture, the video file is 480×480, another shape/);
    const same = made(640, 360);
    expect(fitToFrameSize(same, 640, 360)).toEqual({ annotation: same, note: null });
  });
});
