import { describe, expect, it } from 'vitest';
import { keyframesFromDense } from '../model/keyframes';
import { setCaption } from '../model/spanEdits';
import type { Annotation, Box, Track } from '../model/types';
import { DEFAULT_QA_OPTIONS, generateQa } from '../tasks/generate';
import { imoveRecords, jsonlLines, validateRecord, type ReviewState, type Skipped } from './exportImove';

const fps = 30;
const n = 300;
const timestamps = Array.from({ length: n }, (_, f) => f / fps);
const dog = (f: number): Box => [412 + f, 300, 590 + f, 512];

function ann(): Annotation {
  return {
    video: { id: 'v001', src: 'videos/v001.mp4', width: 1280, height: 720, fps, frameCount: n },
    tags: [],
    tracks: [{ id: '3', category: 'dog', provenance: 'model', keys: keyframesFromDense(0, Array.from({ length: n }, (_, f) => dog(f))) }],
    spans: [{ id: '0', trackId: '3', start: 30, end: 119, caption: 'The brown dog runs right.', captionSource: 'model', modelCaption: 'The brown dog runs right.', captioner: 'InternVL2-40B' }],
  };
}
const keysOf = (t: Track) => t.keys;

function approveAll(a: Annotation): Record<string, ReviewState> {
  return Object.fromEntries(generateQa(a, keysOf, { timestamps, duration: 10 }).map((q) => [q.id, { status: 'approved' as const, fingerprint: q.fingerprint }]));
}

describe('iMOVE-IT export', () => {
  it('writes the canonical record for each approved pair (DESIGN §7 shape)', () => {
    const a = ann();
    const skipped: Skipped[] = [];
    const recs = [...imoveRecords({ annotation: a, keysOf, timestamps, duration: 10, reviews: approveAll(a) }, DEFAULT_QA_OPTIONS, skipped)];
    expect(skipped).toEqual([]);
    expect(recs.map((r) => r.id)).toEqual(['v001_i3_s0_sg', 'v001_i3_s0_tg', 'v001_i3_s0_dc']);
    const sg = recs[0]!;
    expect(sg.video).toBe('videos/v001.mp4');
    expect(sg.video_meta).toEqual({ duration: 10, fps: 30, width: 1280, height: 720 });
    expect(sg.instance.span).toEqual({ start: 1, end: 4 });
    expect(sg.instance.track[0]).toEqual({ t: 1, frame: 30, box: [0.345, 0.417, 0.484, 0.711] });
    expect(sg.instance.track).toHaveLength(8);
    expect(sg.provenance).toEqual({ captioner: 'InternVL2-40B', review: { status: 'approved', edited: [] } });
    expect(sg.conversations[0].value.startsWith('<video>\n')).toBe(true);
    expect(validateRecord(sg)).toEqual([]);
  });

  it('is deterministic: the same state gives the same bytes', () => {
    const a = ann();
    const run = () => [...jsonlLines(imoveRecords({ annotation: a, keysOf, timestamps, duration: 10, reviews: approveAll(a) }, DEFAULT_QA_OPTIONS, []))].join('');
    expect(run()).toBe(run());
    for (const line of run().trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('skips what is not approved or went stale after approval, and says why', () => {
    const a = ann();
    const reviews = approveAll(a);
    reviews['v001_i3_s0_tg'] = { ...reviews['v001_i3_s0_tg']!, status: 'rejected' };
    delete reviews['v001_i3_s0_dc'];
    const edited = setCaption(a, '0', 'The brown dog trots right.');
    const skipped: Skipped[] = [];
    const recs = [...imoveRecords({ annotation: edited, keysOf, timestamps, duration: 10, reviews }, DEFAULT_QA_OPTIONS, skipped)];
    expect(recs).toHaveLength(0);
    expect(skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/changed after approval/), 'not approved (rejected)', 'not reviewed']);
  });

  it('exports an edit only in the renderings it was written in, and says why otherwise', () => {
    const a = ann();
    const reviews = approveAll(a);
    const sgId = 'v001_i3_s0_sg';
    const dcId = 'v001_i3_s0_dc';
    const generated = generateQa(a, keysOf, { timestamps, duration: 10 }).find((q) => q.id === sgId)!.answer;
    const editedBoxes = `Boxes: ${generated}`;
    reviews[sgId] = { ...reviews[sgId]!, answer: editedBoxes, edited: ['answer'], render: { time: 'sec_1dp', box: 'int100', frames: 8 } };
    reviews[dcId] = { ...reviews[dcId]!, answer: 'The dog trots right.', edited: ['answer'] };
    const run = (opts: typeof DEFAULT_QA_OPTIONS) => {
      const skipped: Skipped[] = [];
      const recs = [...imoveRecords({ annotation: a, keysOf, timestamps, duration: 10, reviews }, opts, skipped)];
      return { recs, skipped };
    };
    const same = run(DEFAULT_QA_OPTIONS);
    expect(same.skipped).toEqual([]);
    expect(same.recs.find((r) => r.id === sgId)!.conversations[1].value).toBe(editedBoxes);
    const other = run({ ...DEFAULT_QA_OPTIONS, time: 'rel_00_99', frames: 4 });
    expect(other.skipped).toEqual([{ id: sgId, reason: expect.stringMatching(/edited answer is written in sec_1dp, int100, 8 frames; this export renders rel_00_99, int100, 4 frames/) }]);
    // The caption answer holds no rendered numbers: it goes out in any rendering.
    expect(other.recs.find((r) => r.id === dcId)!.conversations[1].value).toBe('The dog trots right.');
  });

  it('skips an edit saved before numbers were locked that changes them (the text would contradict the record)', () => {
    const a = ann();
    const reviews = approveAll(a);
    const tgId = 'v001_i3_s0_tg';
    reviews[tgId] = { ...reviews[tgId]!, answer: '9.9 - 3.0 seconds', edited: ['answer'] };
    const skipped: Skipped[] = [];
    const recs = [...imoveRecords({ annotation: a, keysOf, timestamps, duration: 10, reviews }, DEFAULT_QA_OPTIONS, skipped)];
    expect(recs.map((r) => r.id)).not.toContain(tgId);
    expect(skipped).toEqual([{ id: tgId, reason: "the reviewer's edited answer changes the annotation's times or boxes: review it again" }]);
  });

  it('clips boxes that run past the frame edge, in the numbers and the text alike', () => {
    const a = ann();
    // The dog leaves to the right, its box above y = 0 throughout and past x = 1280 from frame 36.
    a.tracks[0]!.keys = keyframesFromDense(0, Array.from({ length: n }, (_, f): Box => [1100 + 5 * f, -40, 1300 + 5 * f, 200]));
    const skipped: Skipped[] = [];
    const recs = [...imoveRecords({ annotation: a, keysOf, timestamps, duration: 10, reviews: approveAll(a) }, { ...DEFAULT_QA_OPTIONS, frames: 2 }, skipped)];
    // From frame 36 the box lies wholly off the picture: sampling keeps to frames 30–35, where part of it shows.
    // Frame 30: [1250, -40, 1450, 200] → [0.977, 0, 1, 0.278].
    expect(skipped).toEqual([]);
    expect(recs[0]!.instance.track).toEqual([
      { t: 1, frame: 30, box: [0.977, 0, 1, 0.278] },
      { t: 1.167, frame: 35, box: [0.996, 0, 1, 0.278] },
    ]);
    a.tracks[0]!.keys = keyframesFromDense(0, Array.from({ length: n }, (_, f): Box => [1100 + f, -40, 1300 + f, 200]));
    const ok: Skipped[] = [];
    const [rec] = [...imoveRecords({ annotation: a, keysOf, timestamps, duration: 10, reviews: approveAll(a) }, { ...DEFAULT_QA_OPTIONS, frames: 2 }, ok)];
    expect(ok).toEqual([]);
    expect(rec!.instance.track.map((p) => p.box)).toEqual([[0.883, 0, 1, 0.278], [0.952, 0, 1, 0.278]]);
    expect(rec!.conversations[1].value).toContain('[88,0,100,28]');
  });

  it('validation rejects boxes out of order or range, spans outside the video, and broken placeholders', () => {
    const a = ann();
    const rec = [...imoveRecords({ annotation: a, keysOf, timestamps, duration: 10, reviews: approveAll(a) }, DEFAULT_QA_OPTIONS, [])][0]!;
    const bad = structuredClone(rec);
    bad.instance.track[0]!.box = [0.5, 0.2, 0.4, 0.3];
    bad.instance.track[1]!.box = [0.1, 0.2, 1.4, 0.3];
    bad.instance.span.end = 12;
    bad.conversations[0].value = 'no placeholder';
    const problems = validateRecord(bad);
    expect(problems).toEqual([
      expect.stringMatching(/not inside the video/),
      expect.stringMatching(/track\[0\]\.box .* x1 < x2/),
      expect.stringMatching(/track\[1\]\.box .* not inside \[0, 1\]/),
      expect.stringMatching(/0 <video> placeholders/),
    ]);
  });
});
