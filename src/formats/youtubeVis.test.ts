import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyframesFromList, keyList } from '../model/keyframes';
import type { Annotation, Track } from '../model/types';
import { FormatError } from './errors';
import { expectSameTracks } from './testdata/sameTracks';
import { parseYoutubeVis, writeYoutubeVis } from './youtubeVis';

const keysOf = (t: Track) => t.keys;
const sample = readFileSync(path.join(import.meta.dirname, 'testdata', 'third-party', 'youtube-vis', 'ann.json'), 'utf8');
const keysAt = (t: Track) => keyList(t.keys).map((k) => [k.frame, k.box, k.outside]);

const native = {
  info: {},
  videos: [
    { id: 1, width: 640, height: 480, length: 5, file_names: ['vid_a/00000.jpg', 'vid_a/00005.jpg', 'vid_a/00010.jpg', 'vid_a/00015.jpg', 'vid_a/00020.jpg'] },
    { id: 2, width: 320, height: 240, length: 3, file_names: ['vid_b/00000.jpg', 'vid_b/00005.jpg', 'vid_b/00010.jpg'] },
  ],
  annotations: [
    { id: 11, video_id: 1, category_id: 3, iscrowd: 0, bboxes: [null, [10, 20, 30, 40], [12.5, 20, 30, 40], null, [-4, 0, 5, 5]], areas: [null, 1200, 1200, null, 25], segmentations: [null, null, null, null, null] },
    { id: 12, video_id: 1, category_id: 3, iscrowd: 1, bboxes: [[0, 0, 640, 480], null, null, null, null] },
    { id: 13, video_id: 1, category_id: 1, iscrowd: 0, bboxes: [null, null, null, null, null] },
  ],
  categories: [
    { id: 1, name: 'person', supercategory: 'object' },
    { id: 3, name: 'giant panda', supercategory: 'object' },
  ],
};

function caught(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('expected a FormatError');
}

describe('YouTube-VIS reader', () => {
  it('reads native files: a box or null per frame, [x, y, w, h] to corners, one annotation per video', () => {
    const r = parseYoutubeVis(JSON.stringify(native), 'train.json');
    expect(r.layout).toBe('native');
    expect(r.crowd).toBe(1);
    expect(r.empty).toBe(1);
    expect(r.fpsGuessed).toBe(true);
    expect(r.annotations.map((a) => a.video)).toEqual([
      { id: 'vid_a', src: 'vid_a.mp4', width: 640, height: 480, fps: 6, frameCount: 5 },
      { id: 'vid_b', src: 'vid_b.mp4', width: 320, height: 240, fps: 6, frameCount: 3 },
    ]);
    const [a, b] = r.annotations;
    expect(a!.tracks.map((t) => [t.id, t.category, t.provenance])).toEqual([['11', 'giant panda', 'model']]);
    expect(keysAt(a!.tracks[0]!)).toEqual([
      [1, [10, 20, 40, 60], false],
      [2, [12.5, 20, 42.5, 60], false],
      [3, [12.5, 20, 42.5, 60], true],
      [4, [-4, 0, 1, 5], false],
      [5, [-4, 0, 1, 5], true],
    ]);
    expect(a!.tags).toEqual([{ category: 'giant panda' }]);
    expect(b!.tracks).toEqual([]);
    expect(parseYoutubeVis(JSON.stringify(native), 'train.json', { fps: 30 }).annotations[0]!.video.fps).toBe(30);
  });

  it("reads mmtracking's CocoVID sample: 0-based frame_id, instance_id across images", () => {
    const r = parseYoutubeVis(sample, 'ann.json');
    expect(r.layout).toBe('cocovid');
    expect(r.annotations).toHaveLength(1);
    const a = r.annotations[0]!;
    expect(a.video).toEqual({ id: '0043f083b5', src: '0043f083b5.mp4', width: 1280, height: 720, fps: 6, frameCount: 20 });
    expect(a.tracks.map((t) => [t.id, t.category])).toEqual([['1', 'sedan'], ['2', 'sedan']]);
    // Instance 1 is on image_id 3–20, i.e. frame_id 2–19; its first bbox is [1170, 310, 39, 77].
    const k1 = keyList(a.tracks[0]!.keys);
    expect(k1[0]).toMatchObject({ frame: 2, box: [1170, 310, 1209, 387], outside: false });
    expect(k1.map((k) => k.frame)).toEqual([...Array.from({ length: 18 }, (_, i) => i + 2), 20]);
    expect(k1.at(-1)!.outside).toBe(true);
    expect(keyList(a.tracks[1]!.keys)[0]).toMatchObject({ frame: 8, box: [1153, 372, 1174, 426] });
    expect(a.tags).toEqual([{ category: 'sedan' }]);
  });

  it('reads CocoVID gaps and several videos, and frame_ids far apart without a dense array', () => {
    const doc = {
      videos: [{ id: 1, name: 'a' }, { id: 2, name: 'b', width: 100, height: 50 }],
      images: [
        { id: 1, video_id: 1, frame_id: 0, width: 64, height: 48 },
        { id: 2, video_id: 1, frame_id: 1, width: 64, height: 48 },
        { id: 3, video_id: 1, frame_id: 3, width: 64, height: 48 },
        { id: 4, video_id: 2, frame_id: 2_000_000_000 },
      ],
      annotations: [
        { id: 1, image_id: 3, category_id: 1, instance_id: 5, bbox: [1, 1, 2, 2] },
        { id: 2, image_id: 1, category_id: 1, instance_id: 5, bbox: [0, 0, 2, 2] },
        { id: 3, image_id: 4, category_id: 1, instance_id: 5, bbox: [0, 0, 2, 2] },
      ],
      categories: [{ id: 1, name: 'cat' }],
    };
    const [a, b] = parseYoutubeVis(JSON.stringify(doc), 'x.json').annotations;
    expect(a!.video).toMatchObject({ id: 'a', width: 64, height: 48, frameCount: 4 });
    expect(keysAt(a!.tracks[0]!)).toEqual([[0, [0, 0, 2, 2], false], [1, [0, 0, 2, 2], true], [3, [1, 1, 3, 3], false], [4, [1, 1, 3, 3], true]]);
    expect(b!.video).toMatchObject({ width: 100, height: 50, frameCount: 2_000_000_001 });
    expect(keysAt(b!.tracks[0]!).map((k) => k[0])).toEqual([2_000_000_000, 2_000_000_001]);
  });

  it('rejects bad input naming file, line and path, and imports nothing', () => {
    const text = (d: object) => JSON.stringify(d, null, 2);
    const broken = structuredClone(native);
    (broken.annotations[0]!.bboxes as unknown[])[2] = [1, 2, 'x', 4];
    expect(caught(() => parseYoutubeVis(text(broken), 'train.json')).message).toMatch(/^train\.json line 43, \$\.annotations\[0\]\.bboxes\[2\]: expected a box \[x, y, width, height\] or null, got \[1, 2, "x", 4\]/);
    const neg = structuredClone(native);
    (neg.annotations[0]!.bboxes as unknown[])[1] = [1, 2, -3, 4];
    expect(() => parseYoutubeVis(text(neg), 'train.json')).toThrow(/bboxes\[1\]: the box must not have a negative size/);
    expect(() => parseYoutubeVis(text({ ...native, categories: [] }), 'train.json')).toThrow(/\$\.annotations\[0\]\.category_id: no category with id 3/);
    const long = structuredClone(native);
    long.annotations[0]!.bboxes.push(null);
    expect(() => parseYoutubeVis(text(long), 'train.json')).toThrow(/annotations\[0\]\.bboxes: has 6 entries but the video has 5 frames/);
    expect(() => parseYoutubeVis(text({ ...native, videos: [{ ...native.videos[0], width: 'wide' }] }), 'train.json')).toThrow(/line 6, \$\.videos\[0\]\.width: expected a number, got "wide"/);
    expect(() => parseYoutubeVis('{"videos": [\n}', 'train.json')).toThrow(/train\.json line 2, \$: not valid JSON/);
    expect(() => parseYoutubeVis('[{"video_id": 1, "score": 0.5, "category_id": 1, "segmentations": []}]', 'results.json')).toThrow(/results file/);
    expect(() => parseYoutubeVis('', 'x.json')).toThrow(/empty/);
    const coco = JSON.parse(sample) as { annotations: Array<Record<string, unknown>>; images: Array<Record<string, unknown>> };
    const dup = structuredClone(coco);
    dup.annotations[1]!.image_id = 3;
    expect(() => parseYoutubeVis(JSON.stringify(dup), 'ann.json')).toThrow(/ann\.json line 1, \$\.annotations\[1\]: instance 1 has two boxes at frame_id 2/);
    const orphan = structuredClone(coco);
    orphan.annotations[0]!.image_id = 999;
    expect(() => parseYoutubeVis(JSON.stringify(orphan), 'ann.json')).toThrow(/annotations\[0\]\.image_id: no image with id 999/);
    const noId = structuredClone(coco);
    delete noId.annotations[0]!.instance_id;
    expect(() => parseYoutubeVis(JSON.stringify(noId), 'ann.json')).toThrow(/annotations\[0\]\.instance_id: missing/);
    const noImages = { videos: [{ id: 1, name: 'a' }], images: [], annotations: [], categories: [] };
    expect(() => parseYoutubeVis(JSON.stringify(noImages), 'x.json')).toThrow(/\$\.videos\[0\]: video 1 has no images/);
  });
});

describe('YouTube-VIS writer', () => {
  it('writes native YouTube-VIS: a box or null per frame, areas w·h, no masks', () => {
    const keys = keyframesFromList([
      { frame: 1, box: [10, 20, 30, 60], outside: false, occluded: false, source: 'model' },
      { frame: 3, box: [20, 20, 40, 60], outside: false, occluded: false, source: 'model' },
      { frame: 4, box: [20, 20, 40, 60], outside: true, occluded: false, source: 'model' },
    ]);
    const a: Annotation = { video: { id: 'clip', src: 'clip.mp4', width: 64, height: 64, fps: 6, frameCount: 6 }, tags: [], tracks: [{ id: 'x', category: 'fox', provenance: 'model', keys, score: 0.5 }], spans: [] };
    const doc = JSON.parse(writeYoutubeVis(a, keysOf)) as Record<string, Array<Record<string, unknown>>>;
    expect(doc.videos).toEqual([{ id: 1, width: 64, height: 64, length: 6, fps: 6, file_names: ['clip/00000.jpg', 'clip/00001.jpg', 'clip/00002.jpg', 'clip/00003.jpg', 'clip/00004.jpg', 'clip/00005.jpg'] }]);
    expect(doc.categories).toEqual([{ id: 1, name: 'fox', supercategory: 'object' }]);
    expect(doc.annotations).toEqual([
      {
        id: 1,
        video_id: 1,
        category_id: 1,
        iscrowd: 0,
        score: 0.5,
        bboxes: [null, [10, 20, 20, 40], [15, 20, 20, 40], [20, 20, 20, 40], null, null],
        areas: [null, 800, 800, 800, null, null],
        segmentations: [null, null, null, null, null, null],
      },
    ]);
    const back = parseYoutubeVis(writeYoutubeVis(a, keysOf), 'out.json').annotations[0]!;
    expect(back.video).toEqual(a.video);
    expectSameTracks(a, back, { ids: false });
  });

  it('round-trips the samples: CocoVID or native → native → the same tracks', () => {
    for (const [name, text] of [['ann.json', sample], ['native.json', JSON.stringify(native)]] as const) {
      const a = parseYoutubeVis(text, name).annotations[0]!;
      const b = parseYoutubeVis(writeYoutubeVis(a, keysOf), 'out.json').annotations[0]!;
      expect(b.video).toEqual(a.video);
      expectSameTracks(a, b);
      expect(b.tracks.map((t) => keyList(t.keys))).toEqual(a.tracks.map((t) => keyList(t.keys)));
    }
  });
});
