import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boxAt, keyframesFromList } from '../model/keyframes';
import type { Annotation, Track } from '../model/types';
import { FormatError } from './errors';
import { parseInterchange, sniffFormat, writeInterchange } from './interchange';
import { expectSameTracks } from './testdata/sameTracks';

const here = import.meta.dirname;
const read = (...p: string[]) => readFileSync(path.join(here, ...p), 'utf8');
const cvat = read('testdata', 'third-party', 'cvat', 'for_video_annotations.develop.xml');
const ytvis = read('testdata', 'third-party', 'youtube-vis', 'ann.json');
const ls = read('testdata', 'label-studio', 'tasks.json');
const demo = read('..', '..', 'public', 'demo', 'synthetic.proposals.json');
const mot = '1,1,17,150,77,191,1,1,1\n2,1,20,148,78,195,1,1,0.2\n';
const keysOf = (t: Track) => t.keys;

describe('interchange: the format is told from the content', () => {
  it('recognises each format, whatever the file is called', () => {
    expect(sniffFormat(demo, 'x.dat')).toBe('imove');
    expect(sniffFormat(cvat, 'annotations')).toBe('cvat');
    expect(sniffFormat(ytvis, 'a.json')).toBe('youtubevis');
    expect(sniffFormat(ls, 'export.json')).toBe('labelstudio');
    expect(sniffFormat(JSON.stringify({ id: 1, data: { video: 'v.mp4' }, annotations: [] }), 'task.json')).toBe('labelstudio');
    expect(sniffFormat(mot, 'gt')).toBe('mot');
    expect(sniffFormat('\uFEFF' + cvat, 'a')).toBe('cvat');
    // Unknown JSON goes to our reader, whose error says what a proposals file must hold.
    expect(() => parseInterchange('{"hello": 1}', 'x.json')).toThrow(/x\.json/);
  });
  it('imports each format as proposals, with notes on what was left out', () => {
    expect(parseInterchange(demo, 'synthetic.proposals.json').annotations[0]!.tracks.length).toBeGreaterThan(0);
    const c = parseInterchange(cvat, 'annotations.xml', { fps: 25 });
    expect(c.format).toBe('cvat');
    expect(c.annotations[0]!.tracks.map((t) => t.category)).toEqual(['II']);
    expect(c.notes.join(' ')).toMatch(/Not imported \(not boxes\): .*points/);
    const y = parseInterchange(ytvis, 'ann.json');
    expect(y.annotations[0]!.tracks).toHaveLength(2);
    const l = parseInterchange(ls, 'tasks.json', { width: 640, height: 360 });
    expect(l.format).toBe('labelstudio');
    expect(l.annotations[0]!.tracks.length).toBeGreaterThan(0);
  });
  it('reads MOT with its seqinfo.ini, else with the video’s facts, else says what is missing', () => {
    const withIni = parseInterchange(mot, 'gt.txt', { seqinfo: { text: '[Sequence]\nframeRate=14\nseqLength=10\nimWidth=640\nimHeight=480\n', name: 'seqinfo.ini' } });
    expect(withIni.annotations[0]!.video).toMatchObject({ fps: 14, frameCount: 10, width: 640 });
    const withVideo = parseInterchange(mot, 'gt.txt', { width: 320, height: 240, fps: 30, frameCount: 5 });
    expect(withVideo.annotations[0]!.video).toMatchObject({ fps: 30, frameCount: 5 });
    const e = (() => {
      try {
        parseInterchange(mot, 'gt.txt');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(FormatError);
    expect((e as Error).message).toMatch(/gt\.txt.*needs its seqinfo\.ini/);
  });
  it('curated tracks go out in every format and come back the same (export → import)', () => {
    const a = parseInterchange(demo, 'synthetic.proposals.json').annotations[0]!;
    const hints = { width: a.video.width, height: a.video.height, fps: a.video.fps, frameCount: a.video.frameCount };
    for (const format of ['mot', 'cvat', 'labelstudio', 'youtubevis'] as const) {
      const files = writeInterchange(format, a, keysOf);
      const main = files[0]!;
      const seq = files[1];
      const back = parseInterchange(main.text, main.name, { ...hints, ...(seq ? { seqinfo: { text: seq.text, name: seq.name } } : {}) });
      expect(back.format, format).toBe(format);
      let got = back.annotations[0]!;
      if (format === 'mot') {
        // MOT has 13 classes: 'car' survives, 'dog' and 'ball' cannot (they become class 1).
        expect(got.tracks.find((t) => a.tracks.find((x) => x.id === t.id)?.category === 'car')?.category).toBe('car');
        got = { ...got, tracks: got.tracks.map((t, i) => ({ ...t, category: a.tracks[i]!.category })) };
      }
      // MOT rounds to 0.01 px, Label Studio's percent to 1e-6; YouTube-VIS and Label Studio keep no occlusion.
      expectSameTracks(a, got, { tol: 0.02, occluded: format !== 'youtubevis' && format !== 'labelstudio' });
    }
  });

  it('a track that runs on past the video keeps its last frames when the format refuses frames beyond it', () => {
    // Keys at 0 and 20 of a 10-frame video: frames 1–9 are interpolated toward frame 20's box.
    const a: Annotation = {
      video: { id: 'v', src: 'v.mp4', width: 100, height: 100, fps: 10, frameCount: 10 },
      tags: [],
      tracks: [{ id: '1', category: 'dog', provenance: 'model', keys: keyframesFromList([
        { frame: 0, box: [0, 0, 10, 10], outside: false, occluded: false, source: 'model' },
        { frame: 20, box: [40, 0, 50, 10], outside: false, occluded: false, source: 'model' },
      ]) }],
      spans: [],
    };
    const hints = { width: 100, height: 100, fps: 10, frameCount: 10 };
    for (const format of ['mot', 'cvat', 'labelstudio', 'youtubevis'] as const) {
      const files = writeInterchange(format, a, keysOf);
      const seq = files[1];
      const back = parseInterchange(files[0]!.text, files[0]!.name, { ...hints, ...(seq ? { seqinfo: { text: seq.text, name: seq.name } } : {}) }).annotations[0]!;
      for (const f of [0, 5, 9]) expect(boxAt(back.tracks[0]!.keys, f)?.box, `${format} frame ${f}`).toEqual([2 * f, 0, 10 + 2 * f, 10]);
    }
  });
});
