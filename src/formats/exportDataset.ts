import type { BoxRender, TimeRender } from '../tasks/render';
import { DEFAULT_QA_OPTIONS, type QaOptions, type QaTask } from '../tasks/generate';
import { imoveRecords, type ExportInput, type Skipped } from './exportImove';
import { PROFILES, type ExportProfile, type ProfileId } from './exportProfiles';

/**
 * Whole-dataset export (DESIGN §2 curator, §7): many videos in, JSONL lines out one at a time, so
 * 100,000 pairs never become one string. Order is the input's video order, then imoveRecords' order
 * within a video. Cancellation is checked between videos: a video is written whole or not at all.
 */
export interface DatasetExportOptions {
  profile: ProfileId;
  /** Unset → the profile's default, then DEFAULT_QA_OPTIONS. */
  time?: TimeRender;
  box?: BoxRender;
  frames?: number;
  /** For progress when the input is not an array (a lazy or async source). */
  videosTotal?: number;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

export interface ExportProgress {
  videosDone: number;
  /** Undefined when the input's length is not known. */
  videosTotal?: number;
  written: number;
  skipped: number;
}

export interface ExportReport {
  profile: ProfileId;
  options: QaOptions;
  videos: number;
  written: number;
  skipped: Array<{ id: string; video: string; reason: string }>;
  byTask: Record<QaTask, { written: number; skipped: number }>;
  aborted: boolean;
}

export interface DatasetExport<L> {
  lines: L;
  /** Filled in as `lines` is consumed; complete once it is exhausted. */
  report: ExportReport;
}

/** The options a profile exports with: the user's explicit choices over the profile's defaults. */
export function exportOptions(opts: Pick<DatasetExportOptions, 'profile' | 'time' | 'box' | 'frames'>): QaOptions {
  const d = PROFILES[opts.profile].defaults;
  return {
    time: opts.time ?? d.time ?? DEFAULT_QA_OPTIONS.time,
    box: opts.box ?? d.box ?? DEFAULT_QA_OPTIONS.box,
    frames: opts.frames ?? d.frames ?? DEFAULT_QA_OPTIONS.frames,
  };
}

// generate.ts names pairs `<video>_i<track>_s<span>_<sg|tg|dc>`; skipped pairs only carry that id.
const TASK_OF_SUFFIX: Record<string, QaTask> = { sg: 'spatial_grounding', tg: 'temporal_grounding', dc: 'dynamic_captioning' };
const taskOfId = (id: string): QaTask | undefined => TASK_OF_SUFFIX[id.slice(id.lastIndexOf('_') + 1)];

function newReport(profile: ProfileId, options: QaOptions): ExportReport {
  const zero = () => ({ written: 0, skipped: 0 });
  return { profile, options, videos: 0, written: 0, skipped: [], byTask: { spatial_grounding: zero(), temporal_grounding: zero(), dynamic_captioning: zero() }, aborted: false };
}

/** One video's lines through one profile; every pair ends up either written or in the report. */
function* videoLines(input: ExportInput, profile: ExportProfile, options: QaOptions, report: ExportReport): Generator<string> {
  const video = input.annotation.video.id;
  const skip = (id: string, reason: string, task: QaTask | undefined) => {
    report.skipped.push({ id, video, reason });
    if (task) report.byTask[task].skipped++;
  };
  const before: Skipped[] = [];
  const flush = () => {
    for (const s of before) skip(s.id, s.reason, taskOfId(s.id));
    before.length = 0;
  };
  for (const record of imoveRecords(input, options, before)) {
    flush();
    const out = profile.toLines(record);
    if (out.line === undefined) {
      skip(record.id, out.skip ?? `${profile.label}: no line`, record.task);
      continue;
    }
    report.written++;
    report.byTask[record.task].written++;
    yield `${JSON.stringify(out.line)}\n`;
  }
  flush();
}

function start(inputs: unknown, opts: DatasetExportOptions) {
  const profile = PROFILES[opts.profile];
  if (!profile) throw new Error(`unknown export profile "${String(opts.profile)}"`);
  const options = exportOptions(opts);
  const report = newReport(opts.profile, options);
  const total = opts.videosTotal ?? (Array.isArray(inputs) ? inputs.length : undefined);
  const progress = () => opts.onProgress?.({ videosDone: report.videos, videosTotal: total, written: report.written, skipped: report.skipped.length });
  const checkAbort = () => {
    if (opts.signal?.aborted) {
      report.aborted = true;
      opts.signal.throwIfAborted();
    }
  };
  return { profile, options, report, progress, checkAbort };
}

/**
 * Lines from a synchronous source (an array, or a generator that builds each video's input on
 * demand). An abort throws the signal's reason from the next `next()` after the current video.
 */
export function exportDataset(inputs: Iterable<ExportInput>, opts: DatasetExportOptions): DatasetExport<Generator<string, void>> {
  const s = start(inputs, opts);
  function* lines(): Generator<string, void> {
    s.checkAbort();
    for (const input of inputs) {
      yield* videoLines(input, s.profile, s.options, s.report);
      s.report.videos++;
      s.progress();
      s.checkAbort();
    }
  }
  return { lines: lines(), report: s.report };
}

/** The same from an async source (e.g. annotations read one by one from IndexedDB). */
export function exportDatasetAsync(inputs: Iterable<ExportInput> | AsyncIterable<ExportInput>, opts: DatasetExportOptions): DatasetExport<AsyncGenerator<string, void>> {
  const s = start(inputs, opts);
  async function* lines(): AsyncGenerator<string, void> {
    s.checkAbort();
    for await (const input of inputs) {
      yield* videoLines(input, s.profile, s.options, s.report);
      s.report.videos++;
      s.progress();
      s.checkAbort();
    }
  }
  return { lines: lines(), report: s.report };
}
