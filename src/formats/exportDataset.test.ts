import { describe, expect, it } from 'vitest';
import type { ExportInput } from './exportImove';
import { exportDataset, exportDatasetAsync, exportOptions, type ExportProgress } from './exportDataset';
import { PROFILES } from './exportProfiles';
import { annotation, approveAll, input } from './exportProfiles.fixture';

const opts = exportOptions({ profile: 'imove', frames: 3 });

/** Three videos of 6 pairs each; in v002 one pair is rejected and one never reviewed. */
function videos(): ExportInput[] {
  const [a, b, c] = ['v001', 'v002', 'v003'].map((id) => annotation(id));
  const rb = approveAll(b!, opts);
  rb['v002_i3_s0_tg'] = { ...rb['v002_i3_s0_tg']!, status: 'rejected', reason: 'span starts late' };
  delete rb['v002_i5_s1_dc'];
  return [input(a!, opts), input(b!, opts, rb), input(c!, opts)];
}

describe('whole-dataset export', () => {
  it('yields lines one at a time, lazily: nothing is exported before it is asked for', () => {
    const { lines, report } = exportDataset(videos(), { profile: 'imove', frames: 3 });
    expect(report.written).toBe(0);
    const first = lines.next();
    expect(first.done).toBe(false);
    expect(JSON.parse(first.value as string).id).toBe('v001_i3_s0_sg');
    expect((first.value as string).endsWith('}\n')).toBe(true);
    expect(report.written).toBe(1);
    expect(report.videos).toBe(0);
  });

  it('keeps input order and imoveRecords order, and its report counts match what it wrote', () => {
    const progress: ExportProgress[] = [];
    const { lines, report } = exportDataset(videos(), { profile: 'imove', frames: 3, onProgress: (p) => progress.push(p) });
    const out = [...lines];
    const ids = out.map((l) => JSON.parse(l).id as string);
    expect(ids.slice(0, 6)).toEqual(['v001_i3_s0_sg', 'v001_i3_s0_tg', 'v001_i3_s0_dc', 'v001_i5_s1_sg', 'v001_i5_s1_tg', 'v001_i5_s1_dc']);
    expect(ids.filter((id) => id.startsWith('v002'))).toEqual(['v002_i3_s0_sg', 'v002_i3_s0_dc', 'v002_i5_s1_sg', 'v002_i5_s1_tg']);
    expect(ids.slice(-1)).toEqual(['v003_i5_s1_dc']);
    expect(report.written).toBe(16);
    expect(out).toHaveLength(16);
    expect(report.skipped).toEqual([
      { id: 'v002_i3_s0_tg', video: 'v002', reason: 'not approved (rejected)' },
      { id: 'v002_i5_s1_dc', video: 'v002', reason: 'not reviewed' },
    ]);
    expect(report.byTask).toEqual({
      spatial_grounding: { written: 6, skipped: 0 },
      temporal_grounding: { written: 5, skipped: 1 },
      dynamic_captioning: { written: 5, skipped: 1 },
    });
    expect(report.videos).toBe(3);
    expect(report.aborted).toBe(false);
    expect(progress).toEqual([
      { videosDone: 1, videosTotal: 3, written: 6, skipped: 0 },
      { videosDone: 2, videosTotal: 3, written: 10, skipped: 2 },
      { videosDone: 3, videosTotal: 3, written: 16, skipped: 2 },
    ]);
  });

  it('reports profile skips per task with the video they come from', () => {
    const { lines, report } = exportDataset(videos(), { profile: 'timechat', frames: 3, container: 'jsonl' });
    const out = [...lines];
    expect(report.options).toEqual({ time: 'sec_1dp', box: 'int100', frames: 3 });
    // v002's dog tg was rejected: 2 + 1 + 2 temporal-grounding lines; every other approved pair is a box task.
    expect(out).toHaveLength(5);
    expect(report.byTask.temporal_grounding).toEqual({ written: 5, skipped: 1 });
    expect(report.byTask.spatial_grounding).toEqual({ written: 0, skipped: 6 });
    expect(report.byTask.dynamic_captioning).toEqual({ written: 0, skipped: 6 });
    expect(report.skipped.filter((s) => s.reason === PROFILES.timechat.unsupported.spatial_grounding).map((s) => s.video)).toEqual(['v001', 'v001', 'v002', 'v002', 'v003', 'v003']);
    expect(report.written + report.skipped.length).toBe(18);
    // v002's cat dc was never reviewed, but TimeChat could not take it anyway: that is the reason given.
    expect(report.skipped.find((x) => x.id === 'v002_i5_s1_dc')!.reason).toBe(PROFILES.timechat.unsupported.dynamic_captioning);
  });

  it('honours an abort between videos: the current video is finished, the next never starts', () => {
    const controller = new AbortController();
    const { lines, report } = exportDataset(videos(), { profile: 'imove', frames: 3, signal: controller.signal });
    const got: string[] = [];
    expect(() => {
      for (const l of lines) {
        got.push(l);
        if (got.length === 2) controller.abort();
      }
    }).toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(got).toHaveLength(6);
    expect(got.every((l) => JSON.parse(l).id.startsWith('v001_'))).toBe(true);
    expect(report).toMatchObject({ videos: 1, written: 6, aborted: true });
  });

  it('writes nothing when already aborted', () => {
    const controller = new AbortController();
    controller.abort();
    const { lines, report } = exportDataset(videos(), { profile: 'imove', signal: controller.signal });
    expect(() => lines.next()).toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(report).toMatchObject({ videos: 0, written: 0, aborted: true });
  });

  it('takes an async source and gives the same bytes as the sync one', async () => {
    async function* source() {
      for (const v of videos()) {
        await Promise.resolve();
        yield v;
      }
    }
    const sync = [...exportDataset(videos(), { profile: 'videorefer', frames: 3 }).lines].join('');
    const { lines, report } = exportDatasetAsync(source(), { profile: 'videorefer', frames: 3, videosTotal: 3 });
    let out = '';
    for await (const l of lines) out += l;
    expect(out).toBe(sync);
    expect(out.length).toBeGreaterThan(0);
    expect(report.videos).toBe(3);
  });

  it('honours an abort in the async export too', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const { lines, report } = exportDatasetAsync(videos(), {
      profile: 'llava',
      frames: 3,
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p.videosDone);
        if (p.videosDone === 2) controller.abort();
      },
    });
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const l of lines) got.push(l);
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress).toEqual([1, 2]);
    expect(got).toHaveLength(10);
    expect(report.aborted).toBe(true);
  });

  it('is deterministic across runs for every profile', () => {
    for (const profile of Object.keys(PROFILES) as Array<keyof typeof PROFILES>) {
      const run = () => [...exportDataset(videos(), { profile, frames: 3 }).lines].join('');
      expect(run()).toBe(run());
    }
  });

  it('explicit options win over the profile defaults', () => {
    expect(exportOptions({ profile: 'vtimellm' })).toEqual({ time: 'rel_00_99', box: 'int100', frames: 8 });
    expect(exportOptions({ profile: 'vtimellm', time: 'sec_1dp', frames: 4 })).toEqual({ time: 'sec_1dp', box: 'int100', frames: 4 });
    expect(() => exportDataset([], { profile: 'nope' as 'imove' })).toThrow(/unknown export profile "nope"/);
  });

  it('refuses options no loader could read, before writing anything', () => {
    expect(() => exportOptions({ profile: 'imove', frames: 0 })).toThrow(/whole number from 1 to 64, not 0/);
    expect(() => exportOptions({ profile: 'imove', frames: 2.5 })).toThrow(/not 2.5/);
    expect(() => exportOptions({ profile: 'imove', frames: -1 })).toThrow(/not -1/);
    expect(() => exportOptions({ profile: 'imove', time: 'minutes' as 'frame' })).toThrow(/unknown time rendering "minutes"/);
    expect(() => exportOptions({ profile: 'imove', box: 'int10' as 'int100' })).toThrow(/unknown box rendering "int10"/);
    expect(() => exportDataset(videos(), { profile: 'llava', container: 'csv' as 'json' })).toThrow(/unknown file container "csv"/);
  });

  it('writes one JSON array for loaders that json.load the file, JSON Lines for the rest, or as asked', () => {
    const items = (profile: 'llava' | 'imove', container?: 'json' | 'jsonl') => [...exportDataset(videos(), { profile, frames: 3, ...(container ? { container } : {}) }).lines].join('');
    const array = items('llava');
    expect(array.startsWith('[\n{')).toBe(true);
    expect(array.endsWith('}\n]\n')).toBe(true);
    const parsed = JSON.parse(array) as unknown[];
    expect(parsed).toHaveLength(16);
    const jsonl = items('llava', 'jsonl');
    expect(jsonl.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(parsed);
    expect(items('imove')).toBe(items('imove', 'jsonl'));
    expect(JSON.parse(items('imove', 'json'))).toEqual(items('imove').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown));
    // Nothing approved: an empty array, still valid JSON.
    const none = [...exportDataset([input(annotation('v009'), opts, {})], { profile: 'llava' }).lines].join('');
    expect(none).toBe('[]\n');
    expect(exportDataset([], { profile: 'vtimellm' }).report.container).toBe('json');
  });

  it('leaves out a second video with the same file-name stem where the loader keys videos by it', () => {
    const a = annotation('a');
    const b = annotation('b');
    a.video.src = 'kinetics/jumping/clip1.mp4';
    b.video.src = 'kinetics/running/clip1.mp4';
    const vt = exportOptions({ profile: 'vtimellm' });
    const { lines, report } = exportDataset([input(a, vt), input(b, vt)], { profile: 'vtimellm' });
    const out = JSON.parse([...lines].join('')) as Array<{ id: string }>;
    // Both of video a's temporal pairs (VTimeLLM's one task); none of b's.
    expect(out.map((l) => l.id)).toEqual(['clip1', 'clip1']);
    expect([...new Set(report.skipped.filter((x) => x.video === 'b' && x.id.endsWith('_tg')).map((x) => x.reason))]).toEqual([
      'VTimeLLM loads its features from <stem>.npy, and video a has the same file name "clip1": rename one',
    ]);
    expect(report.skipped.filter((x) => x.video === 'b' && /same file name/.test(x.reason))).toHaveLength(2);
    // A video with nothing to write claims no stem: b alone exports.
    const { lines: onlyB } = exportDataset([input(a, vt, {}), input(b, vt)], { profile: 'vtimellm' });
    expect(JSON.parse([...onlyB].join(''))).toHaveLength(2);
    // LLaVA names the video by its path: no clash there.
    const ll = [...exportDataset([input(a, opts), input(b, opts)], { profile: 'llava', frames: 3 }).lines].join('');
    expect(JSON.parse(ll)).toHaveLength(12);
  });
});
