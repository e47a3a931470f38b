import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boxAt, keyList, KEY_OUTSIDE } from '../model/keyframes';
import { FormatError, FormatErrors } from './errors';
import { parseProposalsText } from './proposals';

type Json = Record<string, unknown>;

function video(id = 'v001', frameCount = 300): Json {
  return {
    format: 'imove-proposals/1',
    video: { id, src: `videos/${id}.mp4`, fps: 30, width: 1280, height: 720, frame_count: frameCount },
    tags: [{ category: 'dog', score: 0.91 }],
    instances: [
      {
        id: '3',
        category: 'dog',
        score: 0.88,
        track: {
          start_frame: 12,
          boxes: [[412.0, 300.5, 590.0, 512.0], [414, 301, 592, 513], null, null, [420, 300, 600, 510]],
          scores: [0.93, 0.9, null, null, 0.8],
        },
      },
      { id: '4', category: 'ball', track: { start_frame: 0, boxes: [[1, 2, 3, 4]] } },
    ],
    segments: [
      { instance: '3', start_frame: 12, end_frame: 16, caption: 'The dog runs.', captioner: 'InternVL2-40B' },
      { instance: '3', start_frame: 20, end_frame: 40, caption: 'The dog stops.' },
      { instance: '4', start_frame: 0, end_frame: 0, caption: 'A ball.' },
    ],
  };
}

/** Pretty-printed like a pipeline would write it, so JSON paths land on distinct lines. */
const pretty = (v: unknown) => JSON.stringify(v, null, 2);

function catchError(f: () => unknown): FormatError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('expected a FormatError');
}

/** Line (1-based) of the first line of `text` containing `needle` after the line containing `after`. */
function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split('\n');
  let from = 0;
  if (after) from = lines.findIndex((l) => l.includes(after));
  return lines.findIndex((l, i) => i >= from && l.includes(needle)) + 1;
}

describe('parseProposalsText: valid input', () => {
  it('reads one .json object into an Annotation', () => {
    const [a, ...rest] = parseProposalsText(pretty(video()), 'demo.proposals.json', 'https://x.org/data/demo.proposals.json');
    expect(rest).toHaveLength(0);
    expect(a!.video).toEqual({ id: 'v001', src: 'https://x.org/data/videos/v001.mp4', width: 1280, height: 720, fps: 30, frameCount: 300 });
    expect(a!.tags).toEqual([{ category: 'dog', score: 0.91 }]);
    const t = a!.tracks[0]!;
    expect(t).toMatchObject({ id: '3', category: 'dog', provenance: 'model', score: 0.88 });
    expect(a!.tracks[1]!.score).toBeUndefined();
    // The null run is one outside keyframe; the track closes after its last box.
    const keys = keyList(t.keys);
    expect(keys.map((k) => [k.frame, k.outside])).toEqual([
      [12, false],
      [13, false],
      [14, true],
      [16, false],
      [17, true],
    ]);
    expect(keys.every((k) => k.source === 'model')).toBe(true);
    expect(keys[0]!.score).toBeCloseTo(0.93);
    expect(boxAt(t.keys, 12)!.box).toEqual([412, 300.5, 590, 512]);
    expect(boxAt(t.keys, 15)).toBeNull();
    expect(t.keys.flags[2]! & KEY_OUTSIDE).toBe(KEY_OUTSIDE);
    expect(a!.spans).toEqual([
      { id: '3_s0', trackId: '3', start: 12, end: 16, caption: 'The dog runs.', captionSource: 'model', modelCaption: 'The dog runs.', captioner: 'InternVL2-40B' },
      { id: '3_s1', trackId: '3', start: 20, end: 40, caption: 'The dog stops.', captionSource: 'model', modelCaption: 'The dog stops.' },
      { id: '4_s0', trackId: '4', start: 0, end: 0, caption: 'A ball.', captionSource: 'model', modelCaption: 'A ball.' },
    ]);
  });

  it('reads .jsonl with blank lines and CRLF, one Annotation per line', () => {
    const text = [JSON.stringify(video('a')), '', JSON.stringify(video('b')), '   ', JSON.stringify(video('c')), ''].join('\r\n');
    const list = parseProposalsText(text, 'batch.jsonl', 'https://x.org/p/batch.jsonl');
    expect(list.map((a) => a.video.id)).toEqual(['a', 'b', 'c']);
    expect(list[2]!.video.src).toBe('https://x.org/p/videos/c.mp4');
  });

  it('keeps src relative without a base URL, coerces integer ids, defaults missing lists', () => {
    const v = video();
    (v.video as Json).id = 7;
    ((v.instances as Json[])[1] as Json).id = 4;
    delete v.tags;
    const [a] = parseProposalsText(JSON.stringify(v), 'x.json');
    expect(a!.video.src).toBe('videos/v001.mp4');
    expect(a!.video.id).toBe('7');
    expect(a!.tags).toEqual([]);
    expect(a!.tracks[1]!.id).toBe('4');
    expect(a!.spans[2]!.trackId).toBe('4');
  });

  it('allows boxes partly outside the frame, without clamping', () => {
    const v = video();
    ((v.instances as Json[])[1]!.track as Json).boxes = [[-50, -20, 1300, 740]];
    const [a] = parseProposalsText(JSON.stringify(v), 'x.json');
    expect(boxAt(a!.tracks[1]!.keys, 0)!.box).toEqual([-50, -20, 1300, 740]);
  });

  it('sniffs JSONL vs JSON when the name has no known extension, and strips a BOM', () => {
    const jsonl = `\uFEFF${JSON.stringify(video('a'))}\n${JSON.stringify(video('b'))}\n`;
    expect(parseProposalsText(jsonl, 'blob:abc').map((a) => a.video.id)).toEqual(['a', 'b']);
    expect(parseProposalsText(pretty(video('p')), 'blob:abc').map((a) => a.video.id)).toEqual(['p']);
  });

  it('reads the demo proposals shipped in public/', () => {
    for (const name of ['synthetic', 'cockatoo', 'motion']) {
      const text = readFileSync(new URL(`../../public/demo/${name}.proposals.json`, import.meta.url), 'utf8');
      const [a] = parseProposalsText(text, `${name}.proposals.json`, `http://localhost/demo/${name}.proposals.json`);
      expect(a!.video.src).toBe(`http://localhost/demo/${name}.mp4`);
      expect(a!.tracks.length).toBeGreaterThan(0);
    }
  });
});

describe('parseProposalsText: bad input names file, line and path', () => {
  it('x2 < x1 in a box', () => {
    const v = video();
    const boxes = ((v.instances as Json[])[0]!.track as Json).boxes as unknown[];
    boxes[1] = [20, 301, 10, 513];
    const text = pretty(v);
    const e = catchError(() => parseProposalsText(text, 'synthetic.proposals.json'));
    expect(e.file).toBe('synthetic.proposals.json');
    expect(e.path).toBe('$.instances[0].track.boxes[1]');
    expect(e.line).toBe(lineOf(text, '20,', '"boxes"') - 1); // the `[` opening box 1
    expect(e.message).toBe(`synthetic.proposals.json line ${e.line}, $.instances[0].track.boxes[1]: x2 (10) < x1 (20)`);
  });

  it('a coordinate that is not a number, a box of the wrong length, an absurd box', () => {
    const v = video();
    ((v.instances as Json[])[0]!.track as Json).boxes = [[1, 2, '3', 4], [1, 2, 3], [0, 0, 20000, 10], null, null];
    const e = catchError(() => parseProposalsText(JSON.stringify(v), 'x.json'));
    expect(e).toBeInstanceOf(FormatErrors);
    expect(e.all.map((x) => x.path)).toEqual(['$.instances[0].track.boxes[0][2]', '$.instances[0].track.boxes[1]', '$.instances[0].track.boxes[2]']);
    expect(e.all.map((x) => x.detail)).toEqual([
      'expected a finite number, got "3"',
      'expected a box [x1, y1, x2, y2] or null, got an array (length 3)',
      'box [0, 0, 20000, 10] lies more than 10× the frame size (1280×720) outside the frame',
    ]);
    expect(e.all.every((x) => x.line === 1 && x.column! > 1)).toBe(true);
    expect(e.message.split('\n')[0]).toBe('3 problems in x.json:');
  });

  it('wrong types and missing fields', () => {
    const v = video();
    (v.video as Json).fps = '30';
    delete (v.video as Json).frame_count;
    delete (v.instances as Json[])[1]!.track;
    const text = pretty(v);
    const e = catchError(() => parseProposalsText(text, 'x.json'));
    const byPath = Object.fromEntries(e.all.map((x) => [x.path, x]));
    expect(byPath['$.video.fps']!.detail).toBe('expected a number, got "30"');
    expect(byPath['$.video.fps']!.line).toBe(lineOf(text, '"fps"'));
    expect(byPath['$.video.frame_count']!.detail).toBe('missing (expected a number)');
    expect(byPath['$.video.frame_count']!.line).toBe(lineOf(text, '"video"')); // points at the parent
    expect(byPath['$.instances[1].track']!.detail).toMatch(/^missing/);
    expect(e.total).toBe(3);
  });

  it('start_frame not an integer ≥ 0', () => {
    const v = video();
    ((v.instances as Json[])[0]!.track as Json).start_frame = -1;
    ((v.instances as Json[])[1]!.track as Json).start_frame = 1.5;
    const e = catchError(() => parseProposalsText(JSON.stringify(v), 'x.json'));
    expect(e.all.map((x) => [x.path, x.detail])).toEqual([
      ['$.instances[0].track.start_frame', 'must be ≥ 0, got -1'],
      ['$.instances[1].track.start_frame', 'expected an integer, got 1.5'],
    ]);
  });

  it('numbers the keyframe tables cannot hold (found by fuzzing)', () => {
    // These were accepted: frame 5e9 wrapped to 705032704 in the Int32Array, a box of 1e300 in a
    // 1e308-wide frame and a score of 1e300 became Infinity in the Float32Arrays.
    const v = video();
    (v.video as Json).frame_count = 1e12;
    ((v.instances as Json[])[1]!.track as Json).start_frame = 5e9;
    const wide = video();
    (wide.video as Json).width = 1e308;
    ((wide.instances as Json[])[1]!.track as Json).boxes = [[1, 2, 1e300, 4]];
    ((wide.instances as Json[])[0]!.track as Json).scores = [1e300, 0.9, null, null, 0.8];
    const e = catchError(() => parseProposalsText(JSON.stringify(v), 'x.json'));
    expect([e.path, e.detail]).toEqual(['$.video.frame_count', 'must be ≤ 2147483647, got 1000000000000']);
    const e2 = catchError(() => parseProposalsText(JSON.stringify(wide), 'x.json'));
    expect([e2.path, e2.detail]).toEqual(['$.video.width', 'must be ≤ 100000, got 1e+308']);
    (wide.video as Json).width = 1280;
    const e3 = catchError(() => parseProposalsText(JSON.stringify(wide), 'x.json'));
    expect(e3.all.map((x) => [x.path, x.detail])).toEqual([
      ['$.instances[0].track.scores[0]', 'score 1e+300 is out of range'],
      ['$.instances[1].track.boxes[0]', 'box [1, 2, 1e+300, 4] lies more than 10× the frame size (1280×720) outside the frame'],
    ]);
  });

  it('a track running past frame_count', () => {
    const v = video('v', 15); // frames 0..14; instance 3 runs 12..16
    v.segments = [];
    const text = pretty(v);
    const e = catchError(() => parseProposalsText(text, 'x.json'));
    expect(e.path).toBe('$.instances[0].track.boxes');
    expect(e.line).toBe(lineOf(text, '"boxes"'));
    expect(e.detail).toBe('5 boxes from frame 12 run to frame 16, past the last frame (14; frame_count 15)');
  });

  it('a segment ending at or after frame_count, and start > end', () => {
    const v = video('v', 40); // last frame 39; segment 1 ends at 40
    (v.segments as Json[])[2]!.start_frame = 5;
    const text = pretty(v);
    const e = catchError(() => parseProposalsText(text, 'x.json'));
    expect(e.all.map((x) => [x.path, x.detail])).toEqual([
      ['$.segments[1].end_frame', 'end_frame 40 is past the last frame (39; frame_count 40)'],
      ['$.segments[2]', 'start_frame (5) > end_frame (0)'],
    ]);
    expect(e.all[0]!.line).toBe(lineOf(text, '"end_frame": 40'));
  });

  it('a segment referring to a missing instance', () => {
    const v = video();
    (v.segments as Json[])[1]!.instance = '99';
    const text = pretty(v);
    const e = catchError(() => parseProposalsText(text, 'x.json'));
    expect(e.path).toBe('$.segments[1].instance');
    expect(e.line).toBe(lineOf(text, '"99"'));
    expect(e.detail).toBe('refers to instance "99", which is not in $.instances');
  });

  it('duplicate instance ids, and duplicate video ids across JSONL lines', () => {
    const v = video();
    (v.instances as Json[])[1]!.id = '3';
    const e = catchError(() => parseProposalsText(pretty(v), 'x.json'));
    expect([e.path, e.detail]).toEqual(['$.instances[1].id', 'duplicate instance id "3" (also at $.instances[0].id)']);

    const text = [JSON.stringify(video('a')), JSON.stringify(video('b')), JSON.stringify(video('a'))].join('\n');
    const e2 = catchError(() => parseProposalsText(text, 'x.jsonl'));
    expect([e2.line, e2.path, e2.detail]).toEqual([3, '$.video.id', 'duplicate video id "a" (also on line 1)']);
  });

  it('scores of the wrong length', () => {
    const v = video();
    ((v.instances as Json[])[0]!.track as Json).scores = [0.5];
    const e = catchError(() => parseProposalsText(JSON.stringify(v), 'x.json'));
    expect([e.path, e.detail]).toEqual(['$.instances[0].track.scores', 'has 1 entries but boxes has 5 (one score or null per box)']);
  });

  it('a wrong or missing format tag', () => {
    const v = { ...video(), format: 'imove-proposals/2' };
    const e = catchError(() => parseProposalsText(pretty(v), 'x.json'));
    expect([e.line, e.path, e.detail]).toEqual([2, '$.format', 'unknown format "imove-proposals/2": this reader understands "imove-proposals/1"']);
    const rest = video();
    delete rest.format;
    const e2 = catchError(() => parseProposalsText(JSON.stringify(rest), 'x.json'));
    expect([e2.line, e2.path, e2.detail]).toEqual([1, '$', 'missing "format" (expected "imove-proposals/1")']);
  });

  it('not JSON at all: reports line and column', () => {
    const text = '{\n  "format": "imove-proposals/1",\n  "video": {"id": "v", oops}\n}';
    const e = catchError(() => parseProposalsText(text, 'x.json'));
    expect([e.file, e.line, e.column, e.path]).toEqual(['x.json', 3, 24, '$']);
    expect(e.message).toBe("x.json line 3, $: not valid JSON at column 24: expected a double-quoted property name, found 'o'");
    const e3 = catchError(() => parseProposalsText('{"format": "imove-proposals/1"}\n{"format": "imove-proposals/1"}\n', 'x.json'));
    expect(e3.message).toBe("x.json line 2, $: not valid JSON at column 1: unexpected '{' after the end of the JSON value (if this file has one JSON object per line, name it .jsonl)");
    const e2 = catchError(() => parseProposalsText('<html>404</html>', 'x.json'));
    expect([e2.line, e2.column]).toEqual([1, 1]);
  });

  it('deeply nested bad JSON is a located error, not a stack overflow (found by fuzzing)', () => {
    // Locating the syntax error recursed once per open bracket: 10,000 levels threw RangeError.
    const cut = `{"format": "imove-proposals/1",\n"video": ${'[{"a":'.repeat(50_000)}`;
    const e = catchError(() => parseProposalsText(cut, 'deep.json'));
    expect([e.line, e.path]).toEqual([2, '$']);
    expect(e.detail).toMatch(/unexpected end of input .*truncated/);
    const closed = `${'['.repeat(100_000)}1}`;
    expect(catchError(() => parseProposalsText(closed, 'deep.json')).detail).toBe("not valid JSON at column 100002: expected ',' or ']' after an array element, found '}'");
  });

  it('a truncated last JSONL line names that line', () => {
    const full = JSON.stringify(video('c'));
    const text = [JSON.stringify(video('a')), JSON.stringify(video('b')), full.slice(0, full.length / 2)].join('\n');
    const e = catchError(() => parseProposalsText(text, 'batch.jsonl'));
    expect([e.file, e.line, e.path]).toEqual(['batch.jsonl', 3, '$']);
    expect(e.detail).toMatch(/unexpected end of input .*truncated/);
  });

  it('a failing JSONL (bad line 3 of 3) returns nothing', () => {
    const bad = video('c');
    ((bad.instances as Json[])[0]!.track as Json).boxes = [[5, 5, 1, 1]];
    ((bad.instances as Json[])[0]!.track as Json).scores = null;
    const text = [JSON.stringify(video('a')), JSON.stringify(video('b')), JSON.stringify(bad)].join('\n');
    let result: unknown = 'untouched';
    const e = catchError(() => {
      result = parseProposalsText(text, 'batch.jsonl');
    });
    expect(result).toBe('untouched');
    expect(e.all.map((x) => [x.line, x.path, x.detail])).toEqual([
      [3, '$.instances[0].track.boxes[0]', 'x2 (1) < x1 (5)'],
      [3, '$.instances[0].track.boxes[0]', 'y2 (1) < y1 (5)'],
    ]);
  });

  it('an empty file is "no videos"', () => {
    for (const text of ['', '\n\n  \n']) {
      for (const name of ['x.json', 'x.jsonl']) {
        const e = catchError(() => parseProposalsText(text, name));
        expect([e.file, e.path, e.line]).toEqual([name, '$', undefined]);
        expect(e.message).toBe(`${name}, $: no videos: the file is empty`);
      }
    }
  });

  it('names the file by the last segment of a URL', () => {
    const e = catchError(() => parseProposalsText('', 'https://x.org/a/my%20file.jsonl?v=2'));
    expect(e.file).toBe('my file.jsonl');
  });

  it('lists at most 20 problems, then "and N more"', () => {
    const v = video('v', 5000);
    v.segments = [];
    ((v.instances as Json[])[0]!.track as Json).boxes = Array.from({ length: 100 }, () => [9, 9, 1, 1]);
    ((v.instances as Json[])[0]!.track as Json).scores = null;
    const e = catchError(() => parseProposalsText(JSON.stringify(v), 'x.json'));
    expect(e.total).toBe(200);
    expect(e.all).toHaveLength(20);
    expect(e.message.split('\n').at(-1)).toBe('  and 180 more');
  });
});

describe('parseProposalsText: a generated large case', () => {
  it('200 instances × 2,000 frames', () => {
    const frames = 2000;
    const instances = Array.from({ length: 200 }, (_, i) => ({
      id: String(i),
      category: 'thing',
      track: {
        start_frame: 0,
        boxes: Array.from({ length: frames }, (_, f) => (f % 500 >= 490 ? null : [i + f * 0.1, i, i + f * 0.1 + 20, i + 30])),
        scores: Array.from({ length: frames }, (_, f) => (f % 500 >= 490 ? null : 0.5)),
      },
    }));
    const doc = {
      format: 'imove-proposals/1',
      video: { id: 'big', src: 'big.mp4', fps: 30, width: 1920, height: 1080, frame_count: frames },
      instances,
      segments: instances.map((x) => ({ instance: x.id, start_frame: 10, end_frame: 1999, caption: 'moves right' })),
    };
    const [a] = parseProposalsText(JSON.stringify(doc), 'big.json');
    expect(a!.tracks).toHaveLength(200);
    const keys = a!.tracks[199]!.keys;
    // 4 visible runs of 490 boxes, each closed by one outside key.
    expect(keys.frames.length).toBe(4 * 491);
    expect(boxAt(keys, 1000)!.box[0]).toBeCloseTo(199 + 100, 3);
    expect(boxAt(keys, 495)).toBeNull();
    expect(a!.spans[199]!.id).toBe('199_s0');
  });
});

describe('parseProposalsText: an HTML page instead of JSON', () => {
  it('says so (a dev server answers a wrong URL with index.html)', () => {
    const e = catchError(() => parseProposalsText('<!doctype html>\n<html></html>', 'x.json'));
    expect(e.detail).toBe("not valid JSON at column 1: unexpected '<' where a value should be (this looks like an HTML page, not JSON: is the URL right?)");
  });
});
