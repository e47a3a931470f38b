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
    const { lines, report } = exportDataset(videos(), { profile: 'timechat', frames: 3 });
    const out = [...lines];
    expect(report.options).toEqual({ time: 'sec_1dp', box: 'int100', frames: 3 });
    // v002's dog tg was rejected: 2 + 1 + 2 temporal-grounding lines; every other approved pair is a box task.
    expect(out).toHaveLength(5);
    expect(report.byTask.temporal_grounding).toEqual({ written: 5, skipped: 1 });
    expect(report.byTask.spatial_grounding).toEqual({ written: 0, skipped: 6 });
    expect(report.byTask.dynamic_captioning).toEqual({ written: 0, skipped: 6 });
    expect(report.skipped.filter((s) => s.reason === PROFILES.timechat.unsupported.spatial_grounding).map((s) => s.video)).toEqual(['v001', 'v001', 'v002', 'v002', 'v003', 'v003']);
    expect(report.written + report.skipped.length).toBe(18);
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
});
