/**
 * Label Studio video JSON: a task export (an array of tasks, or one task) whose results hold
 * `videorectangle` regions. Each region is one instance: `value.sequence` lists its keyframes with
 * 1-based `frame` and `x`, `y`, `width`, `height` in percent (0–100) of the frame size; Label Studio
 * interpolates between enabled keyframes, and `enabled: false` ends the lifespan after that keyframe
 * (it is shown there, and not after, until the next keyframe starts a new one).
 *
 * Which results: the task picked by `opts.task` (its id), else the first. Within it, the annotation
 * picked by `opts.annotation` (an annotation or prediction id); else people's work before the
 * model's: the first non-cancelled annotation marked ground truth, else the first non-cancelled
 * annotation, else the prediction with the highest score (else the first). A cancelled
 * annotation is someone's "skip", not a statement about the video.
 *
 * Frame size: percent coordinates need it, and exports often lack `original_width`/`original_height`.
 * The caller's `opts.width/height` (the video's natural size) win, since they are what our pixel
 * boxes are in; else the regions' own; else the import fails and says so.
 */

import { z } from 'zod';
import { KEY_OUTSIDE, keyframesFromList, keysWithin } from '../model/keyframes';
import type { Annotation, Box, Keyframe, KeyframeTable, Track } from '../model/types';
import { ErrorSink, FormatError, fileLabel, type PathSeg, type SourceText } from './errors';
import { describeValue, errorMap, parseJsonText, reportIssues, type JsonRecord } from './jsonInput';
import { ABSURD_FACTOR } from './proposals';

export interface LabelStudioOptions {
  /** The video's natural size in pixels (see above). */
  width?: number;
  height?: number;
  /** Default: framesCount / duration, else frame / time of the keyframes, else DEFAULT_FPS. */
  fps?: number;
  /** Default: the regions' framesCount, else the last keyframe. */
  frameCount?: number;
  /** A task id; default the first task. */
  task?: number | string;
  /** An annotation (or prediction) id within the task. */
  annotation?: number | string;
  videoId?: string;
  /** Default: the task's `data.video`. */
  src?: string;
}

export const DEFAULT_FPS = 30;
/** Frames live in Int32Arrays (and a track may close one past the last frame). */
const MAX_FRAMES = 2 ** 31 - 2;
/** Far beyond any video, and small enough that boxes ABSURD_FACTOR frames away stay finite in float32. */
const MAX_SIDE = 100_000;

export interface LabelStudioImport {
  annotation: Annotation;
  /** Every task id in the file (to offer the others), in file order. */
  taskIds: Array<number | string>;
  /** The results imported; null when the task has neither annotations nor predictions. */
  from: { kind: 'annotation' | 'prediction'; id?: number | string } | null;
  /** Results that are not video rectangles, by type (`labels`, `choices`, `timelinelabels`, …); `empty` for rectangles without keyframes. */
  skipped: Record<string, number>;
  /** Rotated rectangles, imported as the axis-aligned box around them. */
  rotated: number;
  fpsGuessed: boolean;
}

const Id = z.union([z.int(), z.string().min(1)]);
const Keyframe = z.object({
  frame: z.int().min(1).max(MAX_FRAMES),
  x: z.number(),
  y: z.number(),
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
  enabled: z.boolean().nullish(),
  rotation: z.number().nullish(),
  time: z.number().nullish(),
});
const VideoRect = z.object({
  id: Id.nullish(),
  original_width: z.number().positive().max(MAX_SIDE).nullish(),
  original_height: z.number().positive().max(MAX_SIDE).nullish(),
  score: z.number().nullish(),
  value: z.object({
    sequence: z.array(Keyframe),
    labels: z.array(z.string()).nullish(),
    framesCount: z.int().positive().max(MAX_FRAMES).nullish(),
    duration: z.number().positive().nullish(),
  }),
});
type VideoRect = z.infer<typeof VideoRect>;
const Result = z.array(z.object({ type: z.string() }).loose());
const Completion = z.object({ id: Id.nullish(), result: Result, was_cancelled: z.boolean().nullish(), ground_truth: z.boolean().nullish(), score: z.number().nullish() });
const Task = z.object({
  id: Id.nullish(),
  data: z.record(z.string(), z.unknown()),
  annotations: z.array(Completion).nullish(),
  /** Label Studio 0.x called annotations completions. */
  completions: z.array(Completion).nullish(),
  predictions: z.array(Completion).nullish(),
});
type Completion = z.infer<typeof Completion>;

function pickCompletion(task: z.infer<typeof Task>, want: number | string | undefined, sink: ErrorSink, rec: JsonRecord, at: PathSeg[]) {
  const ann = task.annotations ?? task.completions ?? [];
  const annKey = task.annotations ? 'annotations' : 'completions';
  const preds = task.predictions ?? [];
  type Pick = { c: Completion; kind: 'annotation' | 'prediction'; path: PathSeg[] };
  const all: Pick[] = [
    ...ann.map((c, i): Pick => ({ c, kind: 'annotation', path: [...at, annKey, i] })),
    ...preds.map((c, i): Pick => ({ c, kind: 'prediction', path: [...at, 'predictions', i] })),
  ];
  if (want !== undefined) {
    const hit = all.find((p) => p.c.id != null && String(p.c.id) === String(want));
    if (!hit) sink.add(at, `no annotation or prediction with id ${JSON.stringify(want)} (ids: ${all.map((p) => String(p.c.id)).join(', ') || 'none'})`, rec.source);
    return hit;
  }
  const people = all.filter((p) => p.kind === 'annotation' && !p.c.was_cancelled);
  const model = all.filter((p) => p.kind === 'prediction');
  const best = model.reduce<Pick | undefined>((b, p) => (!b || (p.c.score ?? -Infinity) > (b.c.score ?? -Infinity) ? p : b), undefined);
  return people.find((p) => p.c.ground_truth) ?? people[0] ?? best;
}

/** Label Studio rotates a rectangle about its top-left corner, clockwise in image coordinates. */
function aroundRotated(x: number, y: number, w: number, h: number, deg: number): Box {
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const xs = [x, x + w * cos, x + w * cos - h * sin, x - h * sin];
  const ys = [y, y + w * sin, y + w * sin + h * cos, y + h * cos];
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

interface Built {
  track: Track;
  path: PathSeg[];
  framesCount?: number;
  rotated: number;
  fps: number[];
}

function buildTrack(r: VideoRect, id: string, w: number, h: number, sink: ErrorSink, rec: JsonRecord, at: PathSeg[]): Built | undefined {
  const before = sink.count;
  const seq = r.value.sequence.map((k, i) => ({ k, i })).sort((p, q) => p.k.frame - q.k.frame);
  const keys: Keyframe[] = [];
  const fps: number[] = [];
  let rotated = 0;
  const minX = -ABSURD_FACTOR * 100;
  const maxX = (ABSURD_FACTOR + 1) * 100;
  seq.forEach(({ k, i }, n) => {
    const path = [...at, 'value', 'sequence', i];
    if (n > 0 && seq[n - 1]!.k.frame === k.frame) sink.add([...path, 'frame'], `two keyframes at frame ${k.frame} (also $…sequence[${seq[n - 1]!.i}])`, rec.source);
    if (k.x < minX || k.y < minX || k.x + k.width > maxX || k.y + k.height > maxX) {
      sink.add(path, `box at x ${k.x}, y ${k.y}, ${k.width}×${k.height} lies more than ${ABSURD_FACTOR}× the frame size outside the frame (these are percent of the frame size, 0–100)`, rec.source);
    }
    // Reduced first: a huge angle times π would overflow to Infinity, and cos(Infinity) is NaN.
    const rot = (k.rotation ?? 0) % 360;
    const px = (k.x / 100) * w;
    const py = (k.y / 100) * h;
    const pw = (k.width / 100) * w;
    const ph = (k.height / 100) * h;
    if (rot !== 0) rotated++;
    const box: Box = rot !== 0 ? aroundRotated(px, py, pw, ph, rot) : [px, py, px + pw, py + ph];
    const frame = k.frame - 1;
    const prev = keys[keys.length - 1];
    // The outside key of an earlier `enabled: false` gives way to a keyframe on the very next frame.
    if (prev && prev.outside && prev.frame === frame) keys.pop();
    keys.push({ frame, box, outside: false, occluded: false, source: 'model' });
    if (k.enabled === false) keys.push({ frame: frame + 1, box, outside: true, occluded: false, source: 'model' });
    const rate = k.time != null && k.time > 0 ? k.frame / k.time : NaN;
    if (Number.isFinite(rate) && rate > 0) fps.push(rate);
  });
  if (sink.count > before) return undefined;
  const track: Track = { id, category: r.value.labels?.[0] ?? 'object', provenance: 'model', keys: keyframesFromList(keys) };
  if (r.score != null) track.score = r.score;
  const out: Built = { track, path: at, rotated, fps };
  if (r.value.framesCount != null) out.framesCount = r.value.framesCount;
  const rate = r.value.framesCount != null && r.value.duration != null ? r.value.framesCount / r.value.duration : NaN;
  if (Number.isFinite(rate) && rate > 0) fps.unshift(rate);
  return out;
}

/**
 * All or nothing: any bad region rejects the file, naming the line and JSON path.
 * @throws FormatError (a FormatErrors if there are several problems)
 */
export function parseLabelStudioVideo(text: string, file: string, opts: LabelStudioOptions = {}): LabelStudioImport {
  const label = fileLabel(file);
  const sink = new ErrorSink(label);
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!/\S/.test(clean)) throw new FormatError({ file: label, path: '$', detail: 'the file is empty' });
  const source: SourceText = { text: clean, firstLine: 1 };
  const parsed = parseJsonText(clean, source, sink);
  if (!parsed) throw sink.toError()!;
  const many = Array.isArray(parsed.value);
  const tasks = many ? (parsed.value as unknown[]) : [parsed.value];
  if (tasks.length === 0) throw new FormatError({ file: label, line: 1, path: '$', detail: 'no tasks: the array is empty' });
  const taskIds = tasks.map((t, i) => (t !== null && typeof t === 'object' && 'id' in t && (typeof t.id === 'number' || typeof t.id === 'string') ? t.id : i));
  let index = 0;
  if (opts.task !== undefined) {
    index = taskIds.findIndex((id) => String(id) === String(opts.task));
    if (index < 0) throw new FormatError({ file: label, line: 1, path: '$', detail: `no task with id ${JSON.stringify(opts.task)} (ids: ${taskIds.slice(0, 20).join(', ')}${taskIds.length > 20 ? ', …' : ''})` });
  }
  const at: PathSeg[] = many ? [index] : [];
  const rec: JsonRecord = { value: tasks[index], prefix: at, source, line: 1 };
  const t = Task.safeParse(tasks[index], { error: errorMap });
  if (!t.success) {
    reportIssues(sink, rec, t.error);
    throw sink.toError()!;
  }
  const task = t.data;
  for (const [k, v, max] of [['width', opts.width, MAX_SIDE], ['height', opts.height, MAX_SIDE], ['fps', opts.fps, Infinity], ['frameCount', opts.frameCount, MAX_FRAMES]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0 && v <= max && (k !== 'frameCount' || Number.isInteger(v)))) throw new FormatError({ file: label, path: '$', detail: `option ${k} must be a positive number, got ${describeValue(v)}` });
  }
  const pick = pickCompletion(task, opts.annotation, sink, rec, at);
  const skipped: Record<string, number> = {};
  const built: Built[] = [];
  const ids = new Map<string, number>();
  let size: { w: number; h: number } | undefined = opts.width && opts.height ? { w: opts.width, h: opts.height } : undefined;
  let sizeMissing = false;
  pick?.c.result.forEach((res, j) => {
    const path = [...pick.path, 'result', j];
    if (res.type !== 'videorectangle') {
      skipped[res.type] = (skipped[res.type] ?? 0) + 1;
      return;
    }
    const r = VideoRect.safeParse(res, { error: errorMap });
    if (!r.success) return reportIssues(sink, { ...rec, value: res, prefix: path }, r.error);
    const region = r.data;
    if (region.value.sequence.length === 0) {
      skipped.empty = (skipped.empty ?? 0) + 1;
      return;
    }
    const id = region.id != null ? String(region.id) : String(j);
    if (ids.has(id)) sink.add([...path, 'id'], `duplicate region id "${id}" (also $…result[${ids.get(id)}])`, source);
    ids.set(id, j);
    if (!size && region.original_width && region.original_height) size = { w: region.original_width, h: region.original_height };
    if (!size) {
      // Once is enough: every region after this one lacks it too.
      if (!sizeMissing) sink.add(path, 'the frame size is unknown: the region has no original_width/original_height, so pass the video size (opts.width/height)', source);
      sizeMissing = true;
      return;
    }
    const b = buildTrack(region, id, size.w, size.h, sink, rec, path);
    if (b) built.push(b);
  });
  if (!size && sink.count === 0) sink.add(at, 'the frame size is unknown (no region gives original_width/original_height): pass the video size (opts.width/height)', source);
  const tracks = built.map((b) => b.track);
  const lastVisible = (tr: Track) => tr.keys.frames.findLast((_, i) => !(tr.keys.flags[i]! & KEY_OUTSIDE)) ?? -1;
  const framesCount = Math.max(0, ...built.map((b) => b.framesCount ?? 0));
  // With no framesCount and no keyframes (nothing imported) the length is unknown; 1 keeps the video valid.
  const frameCount = opts.frameCount ?? (framesCount || Math.max(0, ...tracks.map(lastVisible)) + 1);
  for (const b of built) {
    const last = lastVisible(b.track);
    if (last >= frameCount) sink.add([...b.path, 'value', 'sequence'], `a keyframe at frame ${last + 1} is past the video's ${frameCount} frames (frames are 1-based)`, source);
  }
  sink.throwIfAny();
  const fpsSeen = built.flatMap((b) => b.fps)[0];
  const rounded = fpsSeen && Math.round(fpsSeen * 1000) / 1000;
  const fps = opts.fps ?? (rounded || fpsSeen || DEFAULT_FPS);
  const data = task.data;
  const video = typeof data.video === 'string' ? data.video : (Object.values(data).find((v): v is string => typeof v === 'string') ?? '');
  const src = opts.src ?? video;
  const annotation: Annotation = {
    video: { id: opts.videoId ?? (task.id != null ? String(task.id) : fileLabel(src) || label), src, width: size!.w, height: size!.h, fps, frameCount },
    tags: [...new Set(tracks.map((tr) => tr.category))].map((category) => ({ category })),
    tracks,
    spans: [],
  };
  const from = pick ? (pick.c.id != null ? { kind: pick.kind, id: pick.c.id } : { kind: pick.kind }) : null;
  return { annotation, taskIds, from, skipped, rotated: built.reduce((n, b) => n + b.rotated, 0), fpsGuessed: opts.fps === undefined && !fpsSeen };
}

const pct = (v: number) => Math.round(v * 1e6) / 1e6;

export interface LabelStudioWriteOptions {
  /** The labeling config's control and object names (Label Studio's video template uses these). */
  fromName?: string;
  toName?: string;
}

/**
 * One task (in an array, as Label Studio imports it) with one annotation: a videorectangle per
 * track. Label Studio cannot say "hidden from frame g" except right after a keyframe, so a stretch
 * that ends at g gets a keyframe at g − 1 (the box shown there) with `enabled: false`.
 */
export function writeLabelStudioVideo(a: Annotation, keysOf: (t: Track) => KeyframeTable, opts: LabelStudioWriteOptions = {}): string {
  const { width: w, height: h, fps, frameCount } = a.video;
  const result = a.tracks.flatMap((t) => {
    const keys = keysWithin(keysOf(t), 0, frameCount - 1);
    const sequence: Array<Record<string, number | boolean>> = [];
    const n = keys.frames.length;
    const boxOf = (i: number) => keys.boxes.subarray(i * 4, i * 4 + 4);
    const push = (frame: number, b: ArrayLike<number>, enabled: boolean) =>
      sequence.push({
        frame: frame + 1,
        x: pct((b[0]! / w) * 100),
        y: pct((b[1]! / h) * 100),
        width: pct(((b[2]! - b[0]!) / w) * 100),
        height: pct(((b[3]! - b[1]!) / h) * 100),
        enabled,
        rotation: 0,
        time: pct((frame + 1) / fps),
      });
    for (let i = 0; i < n; i++) {
      const f = keys.frames[i]!;
      if (keys.flags[i]! & KEY_OUTSIDE || f < 0 || f >= frameCount) continue;
      const next = i + 1 < n ? i + 1 : -1;
      const endsAt = next >= 0 && keys.flags[next]! & KEY_OUTSIDE ? keys.frames[next]! : -1;
      if (endsAt === f + 1) push(f, boxOf(i), false);
      else {
        push(f, boxOf(i), true);
        // Between a key and an outside key the box holds still, so frame g − 1 shows key i's box.
        if (endsAt > f + 1 && endsAt - 1 < frameCount) push(endsAt - 1, boxOf(i), false);
      }
    }
    if (!sequence.length) return [];
    const region: Record<string, unknown> = {
      id: t.id,
      type: 'videorectangle',
      from_name: opts.fromName ?? 'box',
      to_name: opts.toName ?? 'video',
      origin: t.provenance === 'human' ? 'manual' : 'prediction',
      original_width: w,
      original_height: h,
      value: { framesCount: frameCount, duration: pct(frameCount / fps), labels: [t.category], sequence },
    };
    if (t.score !== undefined) region.score = t.score;
    return [region];
  });
  const task = { data: { video: a.video.src }, annotations: [{ result, was_cancelled: false, ground_truth: false }], predictions: [] };
  return JSON.stringify([task], null, 2) + '\n';
}
