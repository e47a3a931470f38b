import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boxAt, keyframesFromDense, keyframesFromList, keyList } from '../model/keyframes';
import type { Annotation, Track } from '../model/types';
import { FormatError } from './errors';
import { parseLabelStudioVideo, writeLabelStudioVideo } from './labelStudio';
import { expectSameTracks } from './testdata/sameTracks';

const keysOf = (t: Track) => t.keys;
const own = readFileSync(path.join(import.meta.dirname, 'testdata', 'label-studio', 'tasks.json'), 'utf8');
const size = { width: 1000, height: 400 };
const keysAt = (t: Track) => keyList(t.keys).map((k) => [k.frame, k.box.map((v) => Math.round(v * 1e4) / 1e4), k.outside]);

function caught(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('expected a FormatError');
}

describe('Label Studio video reader', () => {
  it('reads 1-based frames and percent boxes, ends lifespans at enabled:false, skips other results', () => {
    const r = parseLabelStudioVideo(own, 'export/project-3.json', size);
    expect(r.taskIds).toEqual([101, 102]);
    // Annotation 1 was cancelled (a skip), so annotation 2 is the one.
    expect(r.from).toEqual({ kind: 'annotation', id: 2 });
    expect(r.skipped).toEqual({ choices: 1 });
    expect(r.annotation.video).toEqual({ id: '101', src: '/data/upload/3/street.mp4', width: 1000, height: 400, fps: 25, frameCount: 50 });
    expect(r.fpsGuessed).toBe(false);
    const [car, sign] = r.annotation.tracks;
    expect(car).toMatchObject({ id: 'car_1', category: 'Red car', provenance: 'model' });
    expect(keysAt(car!)).toEqual([
      [0, [100, 80, 350, 130], false],
      [10, [200, 80, 450, 130], false],
      [11, [200, 80, 450, 130], true],
      [20, [500, 160, 600, 200], false],
      [49, [600, 160, 700, 200], false],
      [50, [600, 160, 700, 200], true],
    ]);
    expect(boxAt(car!.keys, 5)!.box).toEqual([150, 80, 400, 130]);
    expect(boxAt(car!.keys, 15)).toBeNull();
    // Rotated 90° about the top-left corner (800, 20): the 50×40 box turns to lie left of it.
    expect(r.rotated).toBe(3);
    expect(sign!.id).toBe('sign & <post>');
    // enabled:false at frame 6 with a keyframe at 7: nothing is hidden.
    expect(keysAt(sign!)).toEqual([
      [4, [760, 20, 800, 70], false],
      [5, [760, 20, 800, 70], false],
      [6, [770, 20, 810, 70], false],
    ]);
    expect(r.annotation.tags).toEqual([{ category: 'Red car' }, { category: 'Stop sign' }]);
  });

  it('picks a task by id, and without annotations the best prediction; sizes from the regions', () => {
    const r = parseLabelStudioVideo(own, 'p.json', { task: 102 });
    expect(r.from).toEqual({ kind: 'prediction', id: 8 });
    expect(r.annotation.video).toMatchObject({ id: '102', width: 640, height: 360, frameCount: 10, fps: 25 });
    expect(r.annotation.tracks.map((t) => [t.id, t.score, keysAt(t)])).toEqual([['p_high', 0.9, [[1, [160, 180, 224, 252], false]]]]);
    expect(parseLabelStudioVideo(own, 'p.json', { ...size, annotation: 9 }).annotation.tracks.map((t) => t.id)).toEqual(['p1']);
    // The caller's video size wins over the regions' (percent boxes scale to it).
    expect(parseLabelStudioVideo(own, 'p.json', { task: 102, width: 1280, height: 720 }).annotation.tracks[0]!.keys.boxes[0]).toBe(320);
  });

  it('reads one task (not in an array), and a task with nothing to import', () => {
    const one = JSON.stringify({ id: 5, data: { video: 'v.mp4' }, annotations: [], predictions: [] });
    const r = parseLabelStudioVideo(one, 'one.json', { ...size, fps: 30, frameCount: 90 });
    expect(r.from).toBeNull();
    expect(r.annotation.tracks).toEqual([]);
    expect(r.annotation.video).toMatchObject({ id: '5', src: 'v.mp4', frameCount: 90, fps: 30 });
  });

  it('survives what fuzzing found: a huge rotation, an empty sequence, no frame count at all', () => {
    const task = (sequence: object[]) => JSON.stringify({ id: 1, data: { video: 'v.mp4' }, annotations: [{ result: [{ id: 'r', type: 'videorectangle', value: { labels: ['a'], sequence } }] }] });
    const r = parseLabelStudioVideo(task([{ frame: 3, x: 1, y: 1, width: 5, height: 5, rotation: 1e308 }]), 'p.json', size);
    expect(Array.from(r.annotation.tracks[0]!.keys.boxes).every(Number.isFinite)).toBe(true);
    expect(r.annotation.video.frameCount).toBe(3);
    const e = parseLabelStudioVideo(task([]), 'p.json', size);
    expect([e.annotation.tracks, e.skipped, e.annotation.video.frameCount]).toEqual([[], { empty: 1 }, 1]);
  });

  it('rejects bad input naming file, line and path, and imports nothing', () => {
    const e = caught(() => parseLabelStudioVideo(own, 'p.json'));
    expect(e.message).toMatch(/^p\.json line 16, \$\[0\]\.annotations\[1\]\.result\[0\]: the frame size is unknown.*opts\.width\/height/);
    expect(() => parseLabelStudioVideo('[{"id": 1,\n "data": }]', 'p.json')).toThrow(/p\.json line 2, \$: not valid JSON/);
    const bad = (seq: object, extra: object = {}) =>
      JSON.stringify([{ id: 1, data: { video: 'v.mp4' }, annotations: [{ id: 3, result: [{ id: 'r', type: 'videorectangle', value: { labels: ['a'], framesCount: 10, sequence: [seq], ...extra } }] }] }], null, 1);
    expect(caught(() => parseLabelStudioVideo(bad({ frame: 0, x: 1, y: 1, width: 1, height: 1 }), 'p.json', size)).message).toMatch(
      /p\.json line 21, \$\[0\]\.annotations\[0\]\.result\[0\]\.value\.sequence\[0\]\.frame: must be ≥ 1, got 0/,
    );
    expect(() => parseLabelStudioVideo(bad({ frame: 1, x: 5000, y: 1, width: 10, height: 1 }), 'p.json', size)).toThrow(/sequence\[0\]: box at x 5000.*percent of the frame size/);
    expect(() => parseLabelStudioVideo(bad({ frame: 11, x: 1, y: 1, width: 1, height: 1 }), 'p.json', size)).toThrow(/\.value\.sequence: a keyframe at frame 11 is past the video's 10 frames/);
    expect(() => parseLabelStudioVideo(bad({ frame: 1, x: '1', y: 1, width: 1, height: 1 }), 'p.json', size)).toThrow(/sequence\[0\]\.x: expected a number, got "1"/);
    expect(() => parseLabelStudioVideo(bad({ frame: 1, x: 1, y: 1, width: -1, height: 1 }), 'p.json', size)).toThrow(/sequence\[0\]\.width: must be ≥ 0/);
    expect(() => parseLabelStudioVideo(own, 'p.json', { task: 7 })).toThrow(/no task with id 7 \(ids: 101, 102\)/);
    expect(() => parseLabelStudioVideo(own, 'p.json', { ...size, annotation: 77 })).toThrow(/no annotation or prediction with id 77 \(ids: 1, 2, 9\)/);
    expect(() => parseLabelStudioVideo(own, 'p.json', { width: -5, height: 1 })).toThrow(/option width must be a positive number/);
    expect(() => parseLabelStudioVideo('"video.mp4"', 'p.json')).toThrow(/p\.json line 1, \$: expected an object/);
    expect(() => parseLabelStudioVideo('[]', 'p.json')).toThrow(/no tasks/);
    expect(() => parseLabelStudioVideo('', 'p.json')).toThrow(/empty/);
  });
});

const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'third-party', 'label-studio', 'ls-video.json');
describe.skipIf(!existsSync(shared))('Label Studio on the label-studio-converter sample (unknown data licence, stays in ../shared)', () => {
  it('imports: 24 fps from time = frame / fps, lifespan ended by enabled:false', () => {
    const r = parseLabelStudioVideo(readFileSync(shared, 'utf8'), 'ls-video.json', { width: 1280, height: 720 });
    expect(r.annotation.video).toMatchObject({ id: '28', fps: 24, frameCount: 895, width: 1280, height: 720 });
    expect(r.annotation.video.src).toMatch(/WhatsApp_Video.*\.mp4$/);
    const t = r.annotation.tracks[0]!;
    expect([t.id, t.category]).toEqual(['M-XUImr4kg', 'Possum']);
    const k = keyList(t.keys);
    expect(k.map((x) => [x.frame, x.outside])).toEqual([[768, false], [796, false], [822, false], [851, false], [869, false], [881, false], [882, true]]);
    [1.173333, 162, 724.8, 507.6].forEach((v, i) => expect(k[0]!.box[i]).toBeCloseTo(v, 3));
    expect(() => parseLabelStudioVideo(readFileSync(shared, 'utf8'), 'ls-video.json')).toThrow(/ls-video\.json line 13, \$\.annotations\[0\]\.result\[0\]: the frame size is unknown/);
  });
  it('round-trips', () => {
    const a = parseLabelStudioVideo(readFileSync(shared, 'utf8'), 'ls-video.json', { width: 1280, height: 720 }).annotation;
    const b = parseLabelStudioVideo(writeLabelStudioVideo(a, keysOf), 'out.json').annotation;
    expectSameTracks(a, b);
    expect(b.tracks.map((t) => keyList(t.keys).map((x) => [x.frame, x.outside]))).toEqual(a.tracks.map((t) => keyList(t.keys).map((x) => [x.frame, x.outside])));
  });
});

describe('Label Studio video writer', () => {
  const video = { id: 'v', src: 'https://x.org/v.mp4', width: 200, height: 100, fps: 10, frameCount: 30 };
  it('writes one task with a videorectangle per track: 1-based frames, percent, enabled:false where visibility ends', () => {
    const keys = keyframesFromList([
      { frame: 0, box: [20, 10, 60, 30], outside: false, occluded: false, source: 'model' },
      { frame: 4, box: [40, 10, 80, 30], outside: false, occluded: false, source: 'model' },
      { frame: 8, box: [40, 10, 80, 30], outside: true, occluded: false, source: 'model' },
      { frame: 20, box: [0, 0, 10, 10], outside: false, occluded: true, source: 'human' },
      { frame: 21, box: [0, 0, 10, 10], outside: true, occluded: false, source: 'model' },
    ]);
    const a: Annotation = { video, tags: [], tracks: [{ id: 'dog', category: 'dog', provenance: 'model', keys, score: 0.7 }], spans: [] };
    const tasks = JSON.parse(writeLabelStudioVideo(a, keysOf)) as Array<{ data: { video: string }; annotations: Array<{ result: Array<Record<string, unknown>> }> }>;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.data.video).toBe('https://x.org/v.mp4');
    const region = tasks[0]!.annotations[0]!.result[0]!;
    expect(region).toMatchObject({ id: 'dog', type: 'videorectangle', from_name: 'box', to_name: 'video', original_width: 200, original_height: 100, score: 0.7 });
    const value = region.value as { framesCount: number; duration: number; labels: string[]; sequence: unknown[] };
    expect([value.framesCount, value.duration, value.labels]).toEqual([30, 3, ['dog']]);
    expect(value.sequence).toEqual([
      { frame: 1, x: 10, y: 10, width: 20, height: 20, enabled: true, rotation: 0, time: 0.1 },
      { frame: 5, x: 20, y: 10, width: 20, height: 20, enabled: true, rotation: 0, time: 0.5 },
      // Visibility ends at 8: Label Studio can only end a lifespan after a keyframe, so one at 7.
      { frame: 8, x: 20, y: 10, width: 20, height: 20, enabled: false, rotation: 0, time: 0.8 },
      { frame: 21, x: 0, y: 0, width: 5, height: 10, enabled: false, rotation: 0, time: 2.1 },
    ]);
    const b = parseLabelStudioVideo(writeLabelStudioVideo(a, keysOf), 'out.json').annotation;
    expect(b.video).toMatchObject({ width: 200, height: 100, fps: 10, frameCount: 30 });
    expectSameTracks(a, b, { occluded: false });
  });

  it('round-trips the in-repo sample, and a dense track that runs to the last frame', () => {
    const a = parseLabelStudioVideo(own, 'p.json', size).annotation;
    expectSameTracks(a, parseLabelStudioVideo(writeLabelStudioVideo(a, keysOf), 'out.json').annotation);
    const dense: Annotation = { video, tags: [], tracks: [{ id: '1', category: 'x', provenance: 'model', keys: keyframesFromDense(25, [[1, 2, 3, 4], null, [1, 2, 3, 5], [1, 2, 3, 6], [2, 2, 3, 6]]) }], spans: [] };
    expectSameTracks(dense, parseLabelStudioVideo(writeLabelStudioVideo(dense, keysOf), 'out.json').annotation);
  });
});
