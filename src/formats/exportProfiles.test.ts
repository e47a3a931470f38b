import { describe, expect, it } from 'vitest';
import type { QaOptions, QaTask } from '../tasks/generate';
import { imoveRecords, type ImoveRecord, type ReviewState, type Skipped } from './exportImove';
import { PROFILE_IDS, PROFILES, validateVideoRefer, videoStem, type ProfileId } from './exportProfiles';
import { exportOptions } from './exportDataset';
import { annotation, approveAll, input } from './exportProfiles.fixture';

const records = (profile: ProfileId, a = annotation(), reviews?: Record<string, ReviewState>, skipped: Skipped[] = []) => {
  const opts: QaOptions = exportOptions({ profile, frames: 3 });
  return [...imoveRecords(input(a, opts, reviews ?? approveAll(a, opts)), opts, skipped)];
};
const byId = (rs: ImoveRecord[], id: string) => rs.find((r) => r.id === id)!;
const line = (profile: ProfileId, r: ImoveRecord) => {
  const out = PROFILES[profile].toLines(r);
  return out.line === undefined ? undefined : JSON.stringify(out.line);
};

/*
 * The fixture's numbers, by hand (200×100 px, 10 fps, 3 sampled frames):
 *   dog span 0: frames 10–29, 1.0–3.0 s; samples 10, 20, 29 (round(19/2) = 10 → frame 20)
 *     f10 px [30,10,70,50] → [0.15,0.1,0.35,0.5]; f20 [40,10,80,50] → [0.2,0.1,0.4,0.5]; f29 [49,10,89,50] → [0.245,0.1,0.445,0.5]
 *   cat span 1: frames 50–79, 5.0–8.0 s; samples 50, 65, 79
 *     f50 px [100,60,130,90] → [0.5,0.6,0.65,0.9]
 * rel_00_99 of 1.0 s and 3.0 s in a 10 s video: min(round(0.1 × 100), 99) = 10, min(round(0.3 × 100), 99) = 30.
 */
describe('seed profiles: one hand-checked line each', () => {
  it('imove writes the canonical record unchanged', () => {
    const r = byId(records('imove'), 'v001_i3_s0_tg');
    expect(line('imove', r)).toBe(JSON.stringify(r));
    expect(line('imove', r)).toBe(
      '{"id":"v001_i3_s0_tg","task":"temporal_grounding","video":"videos/v001.mp4","video_meta":{"duration":10,"fps":10,"width":200,"height":100},' +
        '"instance":{"id":"3","category":"dog","span":{"start":1,"end":3},"track":[{"t":1,"frame":10,"box":[0.15,0.1,0.35,0.5]},{"t":2,"frame":20,"box":[0.2,0.1,0.4,0.5]},{"t":2.9,"frame":29,"box":[0.245,0.1,0.445,0.5]}],"caption":"The brown dog runs right."},' +
        '"render":{"time":"sec_1dp","box":"int100","frames":3},"provenance":{"captioner":"InternVL2-40B","review":{"status":"approved","edited":[]}},' +
        '"conversations":[{"from":"human","value":"<video>\\nFind the time span in which the brown dog runs right. The dog is at [15,10,35,50] when it begins."},{"from":"gpt","value":"1.0 - 3.0 seconds"}]}',
    );
  });

  it('llava keeps id, video and the two turns', () => {
    const r = byId(records('llava'), 'v001_i3_s0_sg');
    expect(line('llava', r)).toBe(
      '{"id":"v001_i3_s0_sg","video":"videos/v001.mp4","conversations":[{"from":"human","value":"<video>\\nDuring 1.0 - 3.0 seconds, locate the instance described by \\"The brown dog runs right.\\" in every sampled frame."},' +
        '{"from":"gpt","value":"1.0s: [15,10,35,50]; 2.0s: [20,10,40,50]; 2.9s: [25,10,45,50]"}]}',
    );
  });

  it('elysium writes frames, [0, 1] boxes per frame and the description, one line per approved task', () => {
    const rs = records('elysium');
    expect(line('elysium', byId(rs, 'v001_i5_s1_sg'))).toBe(
      '{"source":"imove-studio","id":"v001_i5_s1_sg","vid":"v001","metadata":{"video":"videos/v001.mp4","task":"VideoREC","frame_index":[50,65,79],"t":[5,6.5,7.9]},' +
        '"frames":["frames/v001/000050.jpg","frames/v001/000065.jpg","frames/v001/000079.jpg"],"object_class":"cat",' +
        '"box":[[0.5,0.6,0.65,0.9],[0.425,0.6,0.575,0.9],[0.355,0.6,0.505,0.9]],"object_description":"The grey cat walks left","frame_size":[200,100]}',
    );
    const reg = JSON.parse(line('elysium', byId(rs, 'v001_i5_s1_dc'))!);
    expect(reg.metadata.task).toBe('VideoREG');
    expect(reg.id).toBe('v001_i5_s1_dc');
  });

  it('timechat writes {video, QA: [{q, a}]} with seconds, no <video> tag and no box hint', () => {
    const r = byId(records('timechat'), 'v001_i3_s0_tg');
    expect(r.render.time).toBe('sec_1dp');
    expect(line('timechat', r)).toBe('{"video":"videos/v001.mp4","QA":[{"q":"Find the time span in which the brown dog runs right.","a":"1.0 - 3.0 seconds"}],"source":"imove-studio"}');
  });

  it('vtimellm replaces the span by <s0>/<e0> with their seconds in meta.token, id = the video stem', () => {
    const r = byId(records('vtimellm'), 'v001_i3_s0_tg');
    expect(r.render.time).toBe('rel_00_99');
    expect(r.conversations[1].value).toBe('from 10 to 30');
    expect(line('vtimellm', r)).toBe(
      '{"source":"imove-studio","id":"v001","conversations":[{"from":"human","value":"<video>\\nFind the time span in which the brown dog runs right."},{"from":"gpt","value":"from <s0> to <e0>"}],' +
        '"meta":{"duration":10,"token":{"<s0>":1,"<e0>":3}}}',
    );
  });

  it('videorefer puts one <region> in the question and the box per frame in annotation (pixel polygon + COCO bbox)', () => {
    const r = byId(records('videorefer'), 'v001_i3_s0_dc');
    expect(r.conversations[0].value).toBe('<video>\nHow does the dog in [15,10,35,50] (first sampled frame) move during 1.0 - 3.0 seconds?');
    expect(line('videorefer', r)).toBe(
      '{"id":"v001_i3_s0_dc","video":"videos/v001.mp4","conversations":[{"from":"human","value":"<video>\\nHow does the dog in <region> move during 1.0 - 3.0 seconds?"},{"from":"gpt","value":"The brown dog runs right."}],' +
        '"annotation":[{"10":{"segmentation":[[30,10,70,10,70,50,30,50]],"bbox":[30,10,40,40]},"20":{"segmentation":[[40,10,80,10,80,50,40,50]],"bbox":[40,10,40,40]},"29":{"segmentation":[[49,10,89,10,89,50,49,50]],"bbox":[49,10,40,40]}}],' +
        '"height":100,"width":200}',
    );
  });
});

describe('seed profiles: what they cannot express', () => {
  const expected: Record<ProfileId, QaTask[]> = {
    imove: ['spatial_grounding', 'temporal_grounding', 'dynamic_captioning'],
    llava: ['spatial_grounding', 'temporal_grounding', 'dynamic_captioning'],
    elysium: ['spatial_grounding', 'dynamic_captioning'],
    timechat: ['temporal_grounding'],
    vtimellm: ['temporal_grounding'],
    videorefer: ['dynamic_captioning'],
  };

  it.each(PROFILE_IDS)('%s writes its tasks and skips the others with a reason', (p) => {
    expect(PROFILES[p].tasks).toEqual(expected[p]);
    for (const r of records(p)) {
      const out = PROFILES[p].toLines(r);
      if (expected[p].includes(r.task)) expect(out).toEqual({ line: expect.anything() });
      else expect(out).toEqual({ skip: PROFILES[p].unsupported[r.task] });
    }
  });

  it('names the reason in words a curator can act on', () => {
    expect(PROFILES.timechat.unsupported.spatial_grounding).toMatch(/TimeChat has no box task/);
    expect(PROFILES.vtimellm.unsupported.dynamic_captioning).toMatch(/VTimeLLM has no box input/);
    expect(PROFILES.elysium.unsupported.temporal_grounding).toMatch(/Elysium has no temporal task/);
    expect(PROFILES.videorefer.unsupported.temporal_grounding).toMatch(/give away the start/);
  });

  it('timechat and vtimellm refuse a rendering their loader cannot read', () => {
    const a = annotation();
    const frameOpts: QaOptions = { time: 'frame', box: 'int100', frames: 3 };
    const [tg] = [...imoveRecords(input(a, frameOpts), frameOpts, [])].filter((r) => r.task === 'temporal_grounding');
    expect(PROFILES.timechat.toLines(tg!)).toEqual({ skip: expect.stringMatching(/sec_1dp.*renders frame/) });
    expect(PROFILES.vtimellm.toLines(tg!)).toEqual({ skip: expect.stringMatching(/rendered as frame/) });
  });

  it('a time-only profile skips a question a reviewer rewrote to still give a box', () => {
    const a = annotation();
    const reviews = approveAll(a, exportOptions({ profile: 'timechat' }));
    reviews['v001_i3_s0_tg'] = { ...reviews['v001_i3_s0_tg']!, edited: ['question'], question: '<video>\nWhen does the dog at [15,10,35,50] run right?' };
    const r = byId(records('timechat', a, reviews), 'v001_i3_s0_tg');
    expect(PROFILES.timechat.toLines(r)).toEqual({ skip: 'TimeChat has no box input: the (edited) question still gives a box' });
    expect(PROFILES.vtimellm.toLines(r)).toEqual({ skip: 'VTimeLLM has no box input: the (edited) question still gives a box' });
  });

  it('vtimellm skips an answer that does not state the span exactly once', () => {
    const a = annotation();
    const reviews = approveAll(a, exportOptions({ profile: 'vtimellm' }));
    const generated = byId(records('vtimellm', a), 'v001_i3_s0_tg').conversations[1].value;
    // The numbers are kept (an edit may not change them), but reworded the span is no longer found.
    reviews['v001_i3_s0_tg'] = { ...reviews['v001_i3_s0_tg']!, edited: ['answer'], answer: generated.replace(' to ', ' until '), render: exportOptions({ profile: 'vtimellm' }) };
    const r = byId(records('vtimellm', a, reviews), 'v001_i3_s0_tg');
    expect(PROFILES.vtimellm.toLines(r)).toEqual({ skip: 'VTimeLLM: the answer should state the span once, found 0 times' });
  });
});

describe('VideoRefer placeholders match objects', () => {
  const generated = byId(records('videorefer'), 'v001_i3_s0_dc').conversations[0].value;
  const withQuestion = (question: string, skipped: Skipped[] = []) => {
    const a = annotation();
    const reviews = approveAll(a, exportOptions({ profile: 'videorefer' }));
    reviews['v001_i3_s0_dc'] = { ...reviews['v001_i3_s0_dc']!, edited: ['question'], question, render: exportOptions({ profile: 'videorefer' }) };
    return byId(records('videorefer', a, reviews, skipped), 'v001_i3_s0_dc');
  };

  it('an edit that drops the box never reaches VideoRefer: it changes the annotation\'s numbers', () => {
    const skipped: Skipped[] = [];
    expect(withQuestion('<video>\nWhat does the dog do?', skipped)).toBeUndefined();
    expect(skipped).toEqual([{ id: 'v001_i3_s0_dc', reason: "the reviewer's edited question changes the annotation's times or boxes: review it again" }]);
  });

  it('rejects a question with more regions than objects (a literal <region>, or a second box)', () => {
    expect(PROFILES.videorefer.toLines(withQuestion(`${generated} Does <region> chase it?`))).toEqual({
      skip: 'VideoRefer: the question has 2 <region> placeholders for 1 object in annotation',
    });
    expect(PROFILES.videorefer.toLines(withQuestion(`${generated} Does it chase the cat at [15,10,35,50]?`))).toEqual({
      skip: 'VideoRefer: the question has 2 <region> placeholders for 1 object in annotation',
    });
  });

  it('checks counts for any number of objects, and that each object has a frame', () => {
    expect(validateVideoRefer('<region> and <region>', [{ 1: {} }, { 2: {} }])).toBeUndefined();
    expect(validateVideoRefer('<region>', [{ 1: {} }, { 2: {} }])).toBe('the question has 1 <region> placeholders for 2 objects in annotation');
    expect(validateVideoRefer('<region>', [{}])).toBe('object 0 has no annotated frame');
  });
});

describe('seed profiles: bytes', () => {
  const allLines = (p: ProfileId, a = annotation()) =>
    records(p, a)
      .map((r) => PROFILES[p].toLines(r).line)
      .filter((l) => l !== undefined)
      .map((l) => JSON.stringify(l));

  it.each(PROFILE_IDS)('%s is deterministic: two runs give the same bytes', (p) => {
    const first = allLines(p).join('\n');
    expect(first.length).toBeGreaterThan(0);
    expect(allLines(p).join('\n')).toBe(first);
  });

  it.each(PROFILE_IDS)('%s keeps captions as data: markup stays verbatim text and every line parses', (p) => {
    const hostile = 'The dog <b>jumps</b> over </script><script>alert("x")</script> & stops.';
    const a = annotation('v002', [hostile, 'The cat\nwalks «left» \u2028 slowly.']);
    const lines = allLines(p, a);
    expect(lines.length).toBeGreaterThan(0);
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    for (const l of lines) {
      expect(l).not.toMatch(/\n/);
      walk(JSON.parse(l));
    }
    expect(strings.some((s) => s.includes('<b>jumps</b> over </script><script>alert("x")</script> & stops'))).toBe(true);
    expect(strings.join('')).not.toMatch(/&lt;|&amp;|&quot;/);
  });
});

describe('videoStem', () => {
  it('is the file name without folders, query or extension', () => {
    expect(videoStem('videos/v001.mp4')).toBe('v001');
    expect(videoStem('https://host/a/b/clip.v2.webm?x=1#t')).toBe('clip.v2');
    expect(videoStem('plain')).toBe('plain');
  });
});
