import { BOX_RENDERS, TIME_RENDERS, type BoxRender, type TimeRender } from '../tasks/render';
import { DEFAULT_QA_OPTIONS, type QaOptions, type QaTask } from '../tasks/generate';
import { imoveRecords, type ExportInput, type Skipped } from './exportImove';
import { PROFILES, videoStem, type ExportContainer, type ExportProfile, type ProfileId } from './exportProfiles';

/**
 * Whole-dataset export (DESIGN §2 curator, §7): many videos in, lines out one at a time (JSON Lines,
 * or the pieces of one JSON array), so 100,000 pairs never become one string. Order is the input's
 * video order, then imoveRecords' order within a video. Cancellation is checked between videos: a
 * video is written whole or not at all.
 */
export interface DatasetExportOptions {
  profile: ProfileId;
  /** Unset → the profile's default, then DEFAULT_QA_OPTIONS. */
  time?: TimeRender;
  box?: BoxRender;
  frames?: number;
  /** Unset → the profile's own (JSON Lines, or one JSON array for loaders that `json.load` the file). */
  container?: ExportContainer;
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
  container: ExportContainer;
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

export const MAX_SAMPLED_FRAMES = 64;
const TIMES: readonly string[] = TIME_RENDERS;
const BOXES: readonly string[] = BOX_RENDERS;

/**
 * The options a profile exports with: the user's explicit choices over the profile's defaults.
 * Throws on a choice no profile can honour (scripts call this too, not only the form).
 */
export function exportOptions(opts: Pick<DatasetExportOptions, 'profile' | 'time' | 'box' | 'frames'>): QaOptions {
  const profile = PROFILES[opts.profile];
  if (!profile) throw new Error(`unknown export profile "${String(opts.profile)}" (one of ${Object.keys(PROFILES).join(', ')})`);
  const d = profile.defaults;
  const out = {
    time: opts.time ?? d.time ?? DEFAULT_QA_OPTIONS.time,
    box: opts.box ?? d.box ?? DEFAULT_QA_OPTIONS.box,
    frames: opts.frames ?? d.frames ?? DEFAULT_QA_OPTIONS.frames,
  };
  if (!TIMES.includes(out.time)) throw new Error(`unknown time rendering "${String(out.time)}" (one of ${TIMES.join(', ')})`);
  if (!BOXES.includes(out.box)) throw new Error(`unknown box rendering "${String(out.box)}" (one of ${BOXES.join(', ')})`);
  if (!Number.isInteger(out.frames) || out.frames < 1 || out.frames > MAX_SAMPLED_FRAMES) throw new Error(`sampled frames must be a whole number from 1 to ${MAX_SAMPLED_FRAMES}, not ${JSON.stringify(out.frames)}`);
  return out;
}

export function exportContainer(opts: Pick<DatasetExportOptions, 'profile' | 'container'>): ExportContainer {
  const c = opts.container ?? PROFILES[opts.profile]?.container ?? 'jsonl';
  if (c !== 'jsonl' && c !== 'json') throw new Error(`unknown file container "${String(c)}" (jsonl or json)`);
  return c;
}

// generate.ts names pairs `<video>_i<track>_s<span>_<sg|tg|dc>`; skipped pairs only carry that id.
const TASK_OF_SUFFIX: Record<string, QaTask> = { sg: 'spatial_grounding', tg: 'temporal_grounding', dc: 'dynamic_captioning' };
const taskOfId = (id: string): QaTask | undefined => TASK_OF_SUFFIX[id.slice(id.lastIndexOf('_') + 1)];

function newReport(profile: ProfileId, options: QaOptions, container: ExportContainer): ExportReport {
  const zero = () => ({ written: 0, skipped: 0 });
  return { profile, options, container, videos: 0, written: 0, skipped: [], byTask: { spatial_grounding: zero(), temporal_grounding: zero(), dynamic_captioning: zero() }, aborted: false };
}

interface Run {
  profile: ExportProfile;
  options: QaOptions;
  report: ExportReport;
  container: ExportContainer;
  /** Whether a line has been written: the JSON array's separators depend on it. */
  started: boolean;
  /** Stem → the video that claimed it, for profiles that key videos by stem. */
  stems: Map<string, string>;
}

/** One video's lines through one profile; every pair ends up either written or in the report. */
function* videoLines(input: ExportInput, run: Run): Generator<string> {
  const { profile, options, report } = run;
  const video = input.annotation.video.id;
  const skip = (id: string, reason: string, task: QaTask | undefined) => {
    report.skipped.push({ id, video, reason });
    if (task) report.byTask[task].skipped++;
  };
  const before: Skipped[] = [];
  const flush = () => {
    for (const s of before) {
      const task = taskOfId(s.id);
      // A task the profile cannot express is the first reason, whatever else the pair's review says.
      const unsupported = task ? profile.unsupported[task] : undefined;
      skip(s.id, unsupported ?? s.reason, task);
    }
    before.length = 0;
  };
  // Two videos with one stem would share features or frames under such a loader: the second to
  // write a line is left out (a video that writes nothing claims nothing).
  const stem = profile.stemKeyed ? videoStem(input.annotation.video.src) : '';
  for (const record of imoveRecords(input, options, before)) {
    flush();
    const converted = profile.toLines(record);
    let out = converted;
    if (stem && converted.line !== undefined) {
      const owner = run.stems.get(stem) ?? video;
      run.stems.set(stem, owner);
      if (owner !== video) out = { skip: `${profile.stemKeyed}, and video ${owner} has the same file name "${stem}": rename one` };
    }
    if (out.line === undefined) {
      skip(record.id, out.skip ?? `${profile.label}: no line`, record.task);
      continue;
    }
    report.written++;
    report.byTask[record.task].written++;
    const json = JSON.stringify(out.line);
    if (run.container === 'jsonl') yield `${json}\n`;
    else {
      yield `${run.started ? ',\n' : '[\n'}${json}`;
      run.started = true;
    }
  }
  flush();
}

/** What closes the file: a JSON array's bracket (or the whole of an empty one). */
function tail(run: Run): string {
  if (run.container === 'jsonl') return '';
  return run.started ? '\n]\n' : '[]\n';
}

function start(inputs: unknown, opts: DatasetExportOptions) {
  const options = exportOptions(opts);
  const container = exportContainer(opts);
  const report = newReport(opts.profile, options, container);
  const run: Run = { profile: PROFILES[opts.profile], options, report, container, started: false, stems: new Map() };
  const total = opts.videosTotal ?? (Array.isArray(inputs) ? inputs.length : undefined);
  const progress = () => opts.onProgress?.({ videosDone: report.videos, videosTotal: total, written: report.written, skipped: report.skipped.length });
  const checkAbort = () => {
    if (opts.signal?.aborted) {
      report.aborted = true;
      opts.signal.throwIfAborted();
    }
  };
  return { run, report, progress, checkAbort };
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
      yield* videoLines(input, s.run);
      s.report.videos++;
      s.progress();
      s.checkAbort();
    }
    const end = tail(s.run);
    if (end) yield end;
  }
  return { lines: lines(), report: s.report };
}

/** The same from an async source (e.g. annotations read one by one from IndexedDB). */
export function exportDatasetAsync(inputs: Iterable<ExportInput> | AsyncIterable<ExportInput>, opts: DatasetExportOptions): DatasetExport<AsyncGenerator<string, void>> {
  const s = start(inputs, opts);
  async function* lines(): AsyncGenerator<string, void> {
    s.checkAbort();
    for await (const input of inputs) {
      yield* videoLines(input, s.run);
      s.report.videos++;
      s.progress();
      s.checkAbort();
    }
    const end = tail(s.run);
    if (end) yield end;
  }
  return { lines: lines(), report: s.report };
}
