import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boxAt, keyframesFromDense, keyframesFromList, keyList } from '../model/keyframes';
import type { Annotation, Track } from '../model/types';
import { parseCvatVideo, writeCvatVideo } from './cvat';
import { FormatError } from './errors';
import { expectSameTracks } from './testdata/sameTracks';

const keysOf = (t: Track) => t.keys;
const sample = (name: string) => readFileSync(path.join(import.meta.dirname, 'testdata', 'third-party', 'cvat', name), 'utf8');

function task(tracks: string, meta = '<start_frame>100</start_frame><stop_frame>120</stop_frame><frame_filter>step=5</frame_filter>'): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <meta>
    <task>
      <name>street</name>
      <size>5</size>
      ${meta}
      <labels><label><name>red &amp; "fast" car</name></label></labels>
      <original_size><width>640</width><height>480</height></original_size>
    </task>
    <source>street.mp4</source>
  </meta>
${tracks}
</annotations>
`;
}

const box = (frame: number, xtl: number, ytl: number, xbr: number, ybr: number, more = '') =>
  `    <box frame="${frame}" outside="0" occluded="0" keyframe="1" xtl="${xtl}" ytl="${ytl}" xbr="${xbr}" ybr="${ybr}" z_order="0" ${more}/>`;

/** Throws what `fn` throws, so its fields can be checked. */
function caught(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('expected a FormatError');
}

describe('CVAT for video reader', () => {
  it('keeps absolute frame numbers, reads corners, occluded and outside, and ends a track at the end of the task', () => {
    const xml = task(`  <track id="4" label="red &amp; &quot;fast&quot; car" source="manual">
${box(100, 10, 20, 110, 70, 'occluded="1"').replace('occluded="0" ', '')}
${box(105, 20.5, 20, 120.25, 70)}
    <box frame="110" outside="0" occluded="0" keyframe="0" xtl="25.25" ytl="20" xbr="130.25" ybr="70" z_order="0"/>
    <box frame="115" outside="1" occluded="0" keyframe="1" xtl="30" ytl="20" xbr="140.25" ybr="70" z_order="0"/>
  </track>
  <track id="5" label="z U k">
${box(120, 1, 2, 3, 4)}
  </track>`);
    const r = parseCvatVideo(xml, 'dir/annotations.xml');
    expect(r.taskFrames).toEqual({ start: 100, stop: 120, step: 5 });
    expect(r.annotation.video).toEqual({ id: 'street', src: 'street.mp4', width: 640, height: 480, fps: 30, frameCount: 121 });
    expect(r.fpsGuessed).toBe(true);
    expect(r.interpolated).toBe(1);
    const [car, other] = r.annotation.tracks;
    expect(car).toMatchObject({ id: '4', category: 'red & "fast" car', provenance: 'model' });
    expect(keyList(car!.keys).map((k) => [k.frame, k.box, k.outside, k.occluded])).toEqual([
      [100, [10, 20, 110, 70], false, true],
      [105, [20.5, 20, 120.25, 70], false, false],
      [115, [30, 20, 140.25, 70], true, false],
    ]);
    // The dropped keyframe="0" box at 110 is what interpolation gives anyway.
    expect(boxAt(car!.keys, 110)!.box).toEqual([20.5, 20, 120.25, 70]);
    expect(boxAt(car!.keys, 102)!.box[0]).toBeCloseTo(14.2, 5);
    expect(boxAt(car!.keys, 115)).toBeNull();
    expect(boxAt(car!.keys, 99)).toBeNull();
    // No outside box: the track runs to stop_frame, not past it.
    expect(keyList(other!.keys).map((k) => [k.frame, k.outside])).toEqual([[120, false], [121, true]]);
    expect(r.annotation.tags).toEqual([{ category: 'red & "fast" car' }, { category: 'z U k' }]);
    expect(r.annotation.spans).toEqual([]);
  });

  it('keeps a keyframe="0" box that changes visibility or comes first, and rotated boxes as their bounds', () => {
    const xml = task(`  <track id="1" label="a">
    <box frame="100" outside="0" occluded="0" keyframe="0" xtl="0" ytl="0" xbr="10" ybr="10"/>
    <box frame="105" outside="0" occluded="1" keyframe="0" xtl="0" ytl="0" xbr="10" ybr="10"/>
    <box frame="110" outside="1" occluded="1" keyframe="0" xtl="0" ytl="0" xbr="10" ybr="10"/>
  </track>
  <track id="2" label="b">
${box(100, 0, 0, 20, 10, 'rotation="90"')}
  </track>`);
    const r = parseCvatVideo(xml, 'a.xml', { fps: 25, frameCount: 500 });
    expect(keyList(r.annotation.tracks[0]!.keys).map((k) => [k.frame, k.outside, k.occluded])).toEqual([[100, false, false], [105, false, true], [110, true, true]]);
    expect(r.interpolated).toBe(0);
    expect(r.rotated).toBe(1);
    const b = keyList(r.annotation.tracks[1]!.keys)[0]!.box;
    [5, -5, 15, 15].forEach((v, i) => expect(b[i]).toBeCloseTo(v, 9));
    expect(r.annotation.video).toMatchObject({ fps: 25, frameCount: 500 });
  });

  it('survives what fuzzing found: a huge rotation, characters XML 1.0 cannot carry', () => {
    const r = parseCvatVideo(task(`  <track id="1" label="a&#0;b\u001f">\n${box(100, 0, 0, 20, 10, 'rotation="1e308"')}\n  </track>`), 'a.xml');
    expect(keyList(r.annotation.tracks[0]!.keys)[0]!.box.every(Number.isFinite)).toBe(true);
    expect(r.annotation.tracks[0]!.category).toBe('ab');
    expect(parseCvatVideo(writeCvatVideo(r.annotation, keysOf), 'out.xml').annotation.tracks[0]!.category).toBe('ab');
  });

  it('skips and counts shapes that are not boxes, and tracks with nothing to show', () => {
    const xml = task(`  <track id="1" label="a"><points frame="100" outside="0" occluded="0" keyframe="1" points="1,2"/></track>
  <track id="2" label="a"><polygon frame="100" outside="0" occluded="0" keyframe="1" points="1,2;3,4;5,1"/></track>
  <track id="3" label="a"><skeleton frame="100" outside="0" occluded="0" keyframe="1" points="1,2"/><track id="0" label="k"><points frame="100" outside="0" occluded="0" keyframe="1" points="1,2"/></track></track>
  <track id="4" label="a"><box frame="100" outside="1" occluded="0" keyframe="1" xtl="0" ytl="0" xbr="1" ybr="1"/></track>
  <track id="5" label="a"></track>
  <tag frame="100" label="a"/>`);
    const r = parseCvatVideo(xml, 'a.xml');
    expect(r.annotation.tracks).toEqual([]);
    expect(r.skipped).toEqual({ points: 1, polygon: 1, skeleton: 1, hidden: 1, empty: 1, tag: 1 });
  });

  it('reads the datumaro samples: the box track only, frames 10/13/16 as they are, outside at 13', () => {
    for (const name of ['for_video_annotations.xml', 'for_video_annotations.develop.xml']) {
      const r = parseCvatVideo(sample(name), name);
      expect(r.skipped).toEqual(name.includes('develop') ? { points: 1, polyline: 1 } : { points: 1, polyline: 1, skeleton: 1 });
      expect(r.taskFrames).toEqual({ start: 10, stop: 19, step: 3 });
      expect(r.annotation.video).toMatchObject({ id: 'v1', src: 't.mp4', width: 25, height: 20, frameCount: 20 });
      expect(r.annotation.tracks.map((t) => [t.id, t.category])).toEqual([['0', 'II']]);
      // The second outside box (frame 16) says nothing new.
      expect(keyList(r.annotation.tracks[0]!.keys).map((k) => [k.frame, k.box, k.outside, k.occluded])).toEqual([
        [10, [3, 4, 10, 5], false, true],
        [13, [7, 6, 14, 8], true, false],
      ]);
    }
  });

  it('round-trips the samples: import → export → import', () => {
    for (const name of ['for_video_annotations.xml', 'for_video_annotations.develop.xml']) {
      const a = parseCvatVideo(sample(name), name).annotation;
      const b = parseCvatVideo(writeCvatVideo(a, keysOf), 'out.xml').annotation;
      expectSameTracks(a, b);
      expect(b.tracks.map((t) => keyList(t.keys))).toEqual(a.tracks.map((t) => keyList(t.keys)));
    }
  });
});

describe('CVAT for video reader: bad input', () => {
  it('names the line of malformed XML', () => {
    const e = caught(() => parseCvatVideo('<annotations>\n<track id="1" label="a">\n<box frame="1"></track>\n</annotations>', 'x.xml'));
    expect(e.message).toMatch(/^x\.xml line 3, \/: not well-formed XML: Expected closing tag 'box'/);
    expect(e.line).toBe(3);
    expect(() => parseCvatVideo('', 'x.xml')).toThrow(/x\.xml, \/: the file is empty/);
    expect(() => parseCvatVideo('<a/><b/>', 'x.xml')).toThrow(/more than one root/);
    expect(() => parseCvatVideo('<annotations>\n<track id="1" label="a" id="2"/></annotations>', 'x.xml')).toThrow(/line 2.*repeated/);
  });

  it('refuses a DOCTYPE that declares entities ("billion laughs"), naming its line', () => {
    const lol = ['<?xml version="1.0"?>', '<!DOCTYPE annotations [', '<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`), ']>'];
    const xml = [...lol, '<annotations><version>1.1</version><track id="0" label="&lol9;"><box frame="0" outside="0" occluded="0" keyframe="1" xtl="1" ytl="1" xbr="5" ybr="5"/></track></annotations>'].join('\n');
    expect(() => parseCvatVideo(xml, 'x.xml')).toThrow(/^x\.xml line 3, \/: a DOCTYPE that declares entities is not supported/);
  });

  it('names the file, line and path of a bad box, and imports nothing', () => {
    const xml = task(`  <track id="1" label="a">
${box(100, 1, 2, 3, 4)}
    <box frame="105" outside="0" occluded="0" keyframe="1" xtl="abc" ytl="2" xbr="3" ybr="4"/>
  </track>`);
    const e = caught(() => parseCvatVideo(xml, 'jobs/annotations.xml'));
    expect(e.message).toBe('annotations.xml line 16, /annotations/track[1]/box[2]/@xtl: expected a number, got "abc"');
    expect(() => parseCvatVideo(task(`  <track id="1" label="a">\n${box(100, 5, 2, 3, 4)}\n  </track>`), 'a.xml')).toThrow(/line 15, \/annotations\/track\[1\]\/box\[1\]: xbr \(3\) < xtl \(5\)/);
    expect(() => parseCvatVideo(task(`  <track id="1" label="a">\n${box(100, 1, 2, 3, 4, 'outside="2"').replace('outside="0" ', '')}\n  </track>`), 'a.xml')).toThrow(/@outside: expected 0 or 1/);
    expect(() => parseCvatVideo(task(`  <track id="1" label="a">\n${box(100, 1, 2, 3, 99999)}\n  </track>`), 'a.xml')).toThrow(/more than 10× the frame size/);
  });

  it('rejects frames outside the task (a file with task-relative frames), duplicate frames and ids', () => {
    expect(() => parseCvatVideo(task(`  <track id="1" label="a">\n${box(3, 1, 2, 3, 4)}\n  </track>`), 'a.xml')).toThrow(
      /line 15, \/annotations\/track\[1\]\/box\[1\]\/@frame: frame 3 is outside the task's frames 100–120 \(CVAT writes absolute frame numbers\)/,
    );
    expect(() => parseCvatVideo(task(`  <track id="1" label="a">\n${box(100, 1, 2, 3, 4)}\n${box(100, 1, 2, 3, 4)}\n  </track>`), 'a.xml')).toThrow(/line 16.*two boxes at frame 100 \(also line 15\)/);
    expect(() => parseCvatVideo(task(`  <track id="1" label="a">\n${box(100, 1, 2, 3, 4)}\n  </track>\n  <track id="1" label="a">\n${box(100, 1, 2, 3, 4)}\n  </track>`), 'a.xml')).toThrow(/duplicate track id "1" \(also line 14\)/);
    expect(() => parseCvatVideo(task(`  <track id="1">\n${box(100, 1, 2, 3, 4)}\n  </track>`), 'a.xml')).toThrow(/track\[1\]\/@label: missing/);
  });

  it('says what is wrong with the task meta', () => {
    expect(() => parseCvatVideo(task('', '<frame_filter>every other</frame_filter>'), 'a.xml')).toThrow(/line 8, \/annotations\/meta\[1\]\/task\[1\]\/frame_filter\[1\]: unsupported frame_filter "every other"/);
    expect(() => parseCvatVideo(task('').replace(/<original_size>.*<\/original_size>/, ''), 'a.xml')).toThrow(/missing original_size/);
    expect(() => parseCvatVideo(task('').replace('<width>640</width>', '<width>-1</width>'), 'a.xml')).toThrow(/original_size\[1\]\/width\[1\]: expected a positive number/);
    expect(() => parseCvatVideo('<annotations><version>1.1</version><image id="0" name="a.jpg"/></annotations>', 'a.xml')).toThrow(/CVAT for images/);
    expect(() => parseCvatVideo('<annotations><version>1.1</version></annotations>', 'a.xml')).toThrow(/missing meta\/task/);
    expect(() => parseCvatVideo('<dataset/>', 'a.xml')).toThrow(/expected <annotations>, got <dataset>/);
  });
});

function annotation(tracks: Track[], frameCount = 50): Annotation {
  return { video: { id: 'clip <1>', src: 'media/clip.mp4', width: 320, height: 240, fps: 25, frameCount }, tags: [{ category: 'tag only' }], tracks, spans: [] };
}

describe('CVAT for video writer', () => {
  it('writes a 1.1 task over the whole video, a box per keyframe and outside where visibility ends', () => {
    const keys = keyframesFromList([
      { frame: 3, box: [1.23456, 2, 30, 40], outside: false, occluded: true, source: 'model' },
      { frame: 10, box: [5, 6, 35, 46], outside: false, occluded: false, source: 'human' },
      { frame: 12, box: [5, 6, 35, 46], outside: true, occluded: false, source: 'model' },
    ]);
    const xml = writeCvatVideo(annotation([{ id: '7', category: 'Big "dog" & <co>', provenance: 'model', keys }]), keysOf);
    expect(xml).toContain('<version>1.1</version>');
    expect(xml).toMatch(/<size>50<\/size>[\s\S]*<start_frame>0<\/start_frame>\s*<stop_frame>49<\/stop_frame>/);
    expect(xml).toContain('<name>Big &quot;dog&quot; &amp; &lt;co&gt;</name>');
    expect(xml).toContain('<name>tag only</name>');
    expect(xml).toContain('<original_size>\n        <width>320</width>\n        <height>240</height>');
    expect(xml).toContain('<track id="7" label="Big &quot;dog&quot; &amp; &lt;co&gt;" source="manual">');
    expect(xml).toContain('<box frame="3" keyframe="1" outside="0" occluded="1" xtl="1.235" ytl="2" xbr="30" ybr="40" z_order="0"/>');
    expect(xml).toContain('<box frame="12" keyframe="1" outside="1" occluded="0"');
    const back = parseCvatVideo(xml, 'out.xml');
    expect(back.annotation.tracks[0]!.category).toBe('Big "dog" & <co>');
    expect(back.annotation.video).toMatchObject({ id: 'clip <1>', src: 'clip.mp4', width: 320, height: 240, frameCount: 50 });
  });

  it('renumbers non-numeric ids, leaves out keys past the video and tracks with nothing to show', () => {
    const dense = keyframesFromDense(45, [[1, 1, 2, 2], null, [1, 1, 3, 3], [1, 1, 4, 4], [1, 1, 5, 5]]);
    const a = annotation([
      { id: 'dog-1', category: 'dog', provenance: 'model', keys: dense },
      { id: 'never', category: 'dog', provenance: 'model', keys: keyframesFromList([]) },
    ]);
    const xml = writeCvatVideo(a, keysOf);
    expect(xml).toContain('<track id="0" label="dog" source="auto">');
    expect(xml).not.toContain('frame="50"');
    expect(xml.match(/<track /g)).toHaveLength(1);
    const b = parseCvatVideo(xml, 'out.xml').annotation;
    expectSameTracks({ ...a, tracks: a.tracks.slice(0, 1) }, b, { ids: false });
  });
});
