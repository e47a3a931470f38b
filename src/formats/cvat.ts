/**
 * CVAT for video 1.1 XML: `<track>`s of `<box>`es at frame numbers, `outside="1"` where an
 * instance leaves the view. Only boxes are read; points, polylines, polygons, skeletons (with their
 * nested keypoint tracks) and the rest are skipped and counted, not errors.
 *
 * Frames. CVAT writes *absolute* source-video frame numbers: a task made from frames
 * start_frame..stop_frame with `frame_filter` step=N shows frames start_frame + k·N, and those are
 * the numbers in the file (CVAT's own importer maps them back with (frame − start) / step). We keep
 * them absolute: our video is the full source video the task was made from (`meta/source`), so a
 * box at CVAT frame 13 is our frame 13, and the frames between the task's frames are interpolated
 * like any other. Mapping to the task's index k instead would only fit a video cut to exactly the
 * frames the task showed, which is not what anyone has at hand. The video is taken to run at least
 * to stop_frame.
 *
 * keyframe="0". CVAT writes a track's interpolated boxes too, one per task frame, with keyframe="0".
 * They are CVAT's linear interpolation between the real keyframes, which boxAt recomputes; taking
 * them as keyframes would pin every frame, so that correcting one keyframe would no longer carry to
 * the frames around it. So they are dropped, except where they say something the keyframes do not:
 * a track's first box, or a change of outside/occluded.
 */

import { ABSURD_FACTOR } from './proposals';
import { KEY_OCCLUDED, KEY_OUTSIDE, keyframesFromList, keysWithin, sourceOf } from '../model/keyframes';
import type { Annotation, Box, Keyframe, KeyframeTable, Track } from '../model/types';
import { combineErrors, FormatError, fileLabel, MAX_REPORTED } from './errors';
import { child, childText, escapeXml, parseXml, type XmlElement } from './cvatXml';

export interface CvatOptions {
  /** CVAT does not record the frame rate. Default DEFAULT_FPS (and `fpsGuessed` says so). */
  fps?: number;
  /** Frames in the source video, when known; at least stop_frame + 1 otherwise. */
  frameCount?: number;
  videoId?: string;
  /** Default: `meta/source`, the file the task was made from. */
  src?: string;
}

export const DEFAULT_FPS = 30;
/** Frames live in Int32Arrays, and a track may close one past the last frame. */
const MAX_FRAMES = 2 ** 31 - 2;
/** Far beyond any video, and small enough that boxes ABSURD_FACTOR frames away stay finite in float32. */
const MAX_SIDE = 100_000;

export interface CvatImport {
  annotation: Annotation;
  /**
   * Tracks not imported, by shape (`points`, `polyline`, `polygon`, `skeleton`, `ellipse`, …), plus
   * `tag` for tags, `empty` for tracks without shapes and `hidden` for box tracks outside throughout.
   */
  skipped: Record<string, number>;
  /** keyframe="0" boxes dropped (CVAT's interpolation, recomputed here). */
  interpolated: number;
  /** Rotated boxes, imported as the axis-aligned box around them. */
  rotated: number;
  fpsGuessed: boolean;
  /** The task's frames, as written: start_frame + k·step up to stop_frame. */
  taskFrames: { start: number; stop: number; step: number };
}

class Problems {
  readonly list: FormatError[] = [];
  total = 0;
  constructor(readonly file: string) {}
  add(el: { line: number; path: string }, detail: string, attr?: string): void {
    this.total++;
    if (this.list.length < MAX_REPORTED) this.list.push(new FormatError({ file: this.file, line: el.line, path: attr ? `${el.path}/@${attr}` : el.path, detail }));
  }
}

function number(s: string | undefined): number {
  return s === undefined || s.trim() === '' ? NaN : Number(s);
}

function flag(s: string | undefined, dflt: boolean): boolean | undefined {
  if (s === undefined) return dflt;
  const v = s.trim().toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  return undefined;
}

interface TaskMeta {
  start: number;
  stop: number;
  step: number;
  width: number;
  height: number;
  name?: string;
  source?: string;
}

function readMeta(root: XmlElement, p: Problems): TaskMeta | undefined {
  const meta = child(root, 'meta');
  // A job export has the same fields under <job>.
  const task = meta && (child(meta, 'task') ?? child(meta, 'job'));
  if (!task) {
    p.add(meta ?? root, meta && child(meta, 'project') ? 'a project export: export the task (or job) instead' : 'missing meta/task (is this a CVAT for video export?)');
    return undefined;
  }
  const int = (name: string, min: number, dflt?: number): number => {
    const el = child(task, name);
    const s = el?.text.trim();
    if (s === undefined || s === '') {
      if (dflt === undefined) p.add(el ?? task, `missing ${name}`);
      return dflt ?? min;
    }
    const v = Number(s);
    if (!Number.isSafeInteger(v) || v < min) p.add(el!, `expected an integer ≥ ${min}, got "${s}"`);
    return v;
  };
  const size = int('size', 1);
  const start = int('start_frame', 0, 0);
  let step = 1;
  const filterEl = child(task, 'frame_filter');
  const filter = filterEl?.text.trim() ?? '';
  if (filter) {
    const m = /^step\s*=\s*(\d+)$/.exec(filter);
    if (!m || Number(m[1]) < 1) p.add(filterEl!, `unsupported frame_filter "${filter}" (only step=N is known)`);
    else step = Number(m[1]);
  }
  const stopEl = child(task, 'stop_frame');
  const stop = int('stop_frame', start, start + (Math.max(size, 1) - 1) * step);
  if (stop > MAX_FRAMES - 1) p.add(stopEl ?? task, `the task runs to frame ${stop}: too many frames`);
  const orig = child(task, 'original_size');
  let width = 0;
  let height = 0;
  if (!orig) p.add(task, 'missing original_size (the frame size)');
  else {
    for (const side of ['width', 'height'] as const) {
      const el = child(orig, side);
      const v = number(el?.text);
      if (!(v > 0 && v <= MAX_SIDE)) p.add(el ?? orig, el ? `expected a positive number up to ${MAX_SIDE}, got "${el.text.trim()}"` : `missing ${side}`);
      else if (side === 'width') width = v;
      else height = v;
    }
  }
  const out: TaskMeta = { start, stop, step, width, height };
  const name = childText(task, 'name');
  if (name) out.name = name;
  const source = childText(meta!, 'source');
  if (source) out.source = source;
  return out;
}

type Shape = Keyframe & { keyframe: boolean; line: number };

const NOT_SHAPES = new Set(['attribute', 'track']);

function readBox(el: XmlElement, m: TaskMeta, p: Problems): (Shape & { rotated: boolean }) | undefined {
  const before = p.total;
  const frame = number(el.attrs.frame);
  if (!Number.isSafeInteger(frame) || frame < 0) p.add(el, `expected a frame number (an integer ≥ 0), got ${JSON.stringify(el.attrs.frame ?? null)}`, 'frame');
  else if (frame < m.start || frame > m.stop) p.add(el, `frame ${frame} is outside the task's frames ${m.start}–${m.stop} (CVAT writes absolute frame numbers)`, 'frame');
  const flags: Record<string, boolean> = {};
  for (const [k, dflt] of [['outside', false], ['occluded', false], ['keyframe', true]] as const) {
    const v = flag(el.attrs[k], dflt);
    if (v === undefined) p.add(el, `expected 0 or 1, got "${el.attrs[k]}"`, k);
    else flags[k] = v;
  }
  const c: number[] = [];
  for (const k of ['xtl', 'ytl', 'xbr', 'ybr']) {
    const v = number(el.attrs[k]);
    if (!Number.isFinite(v)) p.add(el, el.attrs[k] === undefined ? 'missing' : `expected a number, got "${el.attrs[k]}"`, k);
    c.push(v);
  }
  // Reduced at once: a huge angle times π would overflow to Infinity, and cos(Infinity) is NaN.
  const rotation = el.attrs.rotation === undefined ? 0 : number(el.attrs.rotation) % 360;
  if (!Number.isFinite(rotation)) p.add(el, `expected degrees, got "${el.attrs.rotation}"`, 'rotation');
  if (p.total > before) return undefined;
  const [xtl, ytl, xbr, ybr] = c as [number, number, number, number];
  if (xbr < xtl) p.add(el, `xbr (${xbr}) < xtl (${xtl})`);
  if (ybr < ytl) p.add(el, `ybr (${ybr}) < ytl (${ytl})`);
  const box = rotation === 0 ? ([xtl, ytl, xbr, ybr] as Box) : aroundRotated(xtl, ytl, xbr, ybr, rotation);
  const { width: w, height: h } = m;
  if (box[0] < -ABSURD_FACTOR * w || box[2] > (ABSURD_FACTOR + 1) * w || box[1] < -ABSURD_FACTOR * h || box[3] > (ABSURD_FACTOR + 1) * h) {
    p.add(el, `box [${box.join(', ')}] lies more than ${ABSURD_FACTOR}× the frame size (${w}×${h}) outside the frame`);
  }
  if (p.total > before) return undefined;
  return { frame, box, outside: flags.outside!, occluded: flags.occluded!, keyframe: flags.keyframe!, source: 'model', line: el.line, rotated: rotation !== 0 };
}

/** CVAT rotates a box about its centre, clockwise in image coordinates (y down). */
function aroundRotated(xtl: number, ytl: number, xbr: number, ybr: number, deg: number): Box {
  const cx = (xtl + xbr) / 2;
  const cy = (ytl + ybr) / 2;
  const a = (deg * Math.PI) / 180;
  const hw = (Math.abs(Math.cos(a)) * (xbr - xtl) + Math.abs(Math.sin(a)) * (ybr - ytl)) / 2;
  const hh = (Math.abs(Math.sin(a)) * (xbr - xtl) + Math.abs(Math.cos(a)) * (ybr - ytl)) / 2;
  return [cx - hw, cy - hh, cx + hw, cy + hh];
}

/**
 * The keyframes that carry information (see the keyframe="0" note above), plus a closing outside
 * key. An outside box while already outside (or before the first visible one) says nothing either.
 */
function keysOfShapes(shapes: Shape[], stop: number): { keys: Keyframe[]; interpolated: number } {
  const keys: Keyframe[] = [];
  let interpolated = 0;
  let last: Shape | undefined;
  for (const s of shapes) {
    if (s.outside && (!last || last.outside)) continue;
    if (!s.keyframe && last && s.outside === last.outside && s.occluded === last.occluded) {
      interpolated++;
      continue;
    }
    keys.push({ frame: s.frame, box: s.box, outside: s.outside, occluded: s.occluded, source: 'model' });
    last = s;
  }
  // A track without an outside box runs to the end of the task, and the video may go on past it.
  const end = keys[keys.length - 1];
  if (end && !end.outside) keys.push({ ...end, frame: stop + 1, outside: true, occluded: false });
  return { keys, interpolated };
}

/**
 * All or nothing: any bad box rejects the file, naming its line and path.
 * @throws FormatError (a FormatErrors if there are several problems)
 */
export function parseCvatVideo(text: string, file: string, opts: CvatOptions = {}): CvatImport {
  const label = fileLabel(file);
  if (opts.fps !== undefined && !(Number.isFinite(opts.fps) && opts.fps > 0)) throw new FormatError({ file: label, path: '/', detail: `option fps must be a positive number, got ${opts.fps}` });
  if (opts.frameCount !== undefined && !(Number.isSafeInteger(opts.frameCount) && opts.frameCount > 0 && opts.frameCount <= MAX_FRAMES)) {
    throw new FormatError({ file: label, path: '/', detail: `option frameCount must be a positive integer, got ${opts.frameCount}` });
  }
  const root = parseXml(text, label);
  const p = new Problems(label);
  if (root.name !== 'annotations') throw new FormatError({ file: label, line: root.line, path: root.path, detail: `expected <annotations>, got <${root.name}>` });
  const image = child(root, 'image');
  if (image) throw new FormatError({ file: label, line: image.line, path: image.path, detail: 'this is CVAT for images (<image> elements): export the task as CVAT for video 1.1' });
  const version = child(root, 'version');
  if (version && !/^1\.\d+$/.test(version.text.trim())) p.add(version, `unsupported version "${version.text.trim()}" (expected 1.1)`);
  const m = readMeta(root, p);
  // Boxes are checked against the frame size and range: without them, that would only add noise.
  if (!m || p.total) throw combineErrors(p.list, p.total);
  const skipped: Record<string, number> = {};
  const count = (kind: string) => (skipped[kind] = (skipped[kind] ?? 0) + 1);
  let interpolated = 0;
  let rotated = 0;
  const tracks: Track[] = [];
  const ids = new Map<string, number>();
  for (const el of root.children) {
    if (el.name === 'tag') count('tag');
    if (el.name !== 'track') continue;
    const id = el.attrs.id?.trim();
    const category = el.attrs.label;
    if (!id) p.add(el, 'missing', 'id');
    else if (ids.has(id)) p.add(el, `duplicate track id "${id}" (also line ${ids.get(id)})`, 'id');
    else ids.set(id, el.line);
    if (!category) p.add(el, 'missing', 'label');
    const shapes = el.children.filter((c) => !NOT_SHAPES.has(c.name));
    const kind = el.children.some((c) => c.name === 'track') ? 'skeleton' : shapes.find((s) => s.name !== 'box')?.name;
    if (kind || shapes.length === 0) {
      count(kind ?? 'empty');
      continue;
    }
    const boxes: Shape[] = [];
    for (const s of shapes) {
      const b = readBox(s, m, p);
      if (!b) continue;
      if (b.rotated) rotated++;
      boxes.push(b);
    }
    if (boxes.length !== shapes.length || !id || !category) continue;
    boxes.sort((x, y) => x.frame - y.frame);
    for (let k = 1; k < boxes.length; k++) {
      if (boxes[k]!.frame === boxes[k - 1]!.frame) p.add({ line: boxes[k]!.line, path: el.path }, `two boxes at frame ${boxes[k]!.frame} (also line ${boxes[k - 1]!.line})`);
    }
    const made = keysOfShapes(boxes, m.stop);
    interpolated += made.interpolated;
    const keys = made.keys;
    if (!keys.length) {
      count('hidden'); // outside on every box
      continue;
    }
    tracks.push({ id, category, provenance: 'model', keys: keyframesFromList(keys) });
  }
  if (p.total) throw combineErrors(p.list, p.total);
  const frameCount = Math.max(opts.frameCount ?? 0, m.stop + 1);
  const src = opts.src ?? m.source ?? label;
  const videoId = opts.videoId ?? m.name ?? src.replace(/\.[^./]*$/, '');
  const annotation: Annotation = {
    video: { id: videoId, src, width: m.width, height: m.height, fps: opts.fps ?? DEFAULT_FPS, frameCount },
    tags: [...new Set(tracks.map((t) => t.category))].map((category) => ({ category })),
    tracks,
    spans: [],
  };
  return { annotation, skipped, interpolated, rotated, fpsGuessed: opts.fps === undefined, taskFrames: { start: m.start, stop: m.stop, step: m.step } };
}

const fmt = (v: number) => String(Math.round(v * 1000) / 1000);

/**
 * The tracks as a CVAT for video 1.1 task over the whole video (frames 0..frameCount−1, no frame
 * filter): a `<box>` on each keyframe, `outside="1"` where visibility ends. CVAT's importer needs
 * the task's labels to exist and integer track ids; numeric track ids are kept, others renumbered.
 */
export function writeCvatVideo(a: Annotation, keysOf: (t: Track) => KeyframeTable): string {
  const v = a.video;
  const labels = [...new Set([...a.tracks.map((t) => t.category), ...a.tags.map((t) => t.category)])];
  const numeric = a.tracks.every((t) => /^(0|[1-9]\d{0,8})$/.test(t.id)) && new Set(a.tracks.map((t) => t.id)).size === a.tracks.length;
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<annotations>',
    '  <version>1.1</version>',
    '  <meta>',
    '    <task>',
    `      <name>${escapeXml(v.id)}</name>`,
    `      <size>${v.frameCount}</size>`,
    '      <mode>interpolation</mode>',
    '      <overlap>0</overlap>',
    '      <start_frame>0</start_frame>',
    `      <stop_frame>${Math.max(0, v.frameCount - 1)}</stop_frame>`,
    '      <frame_filter></frame_filter>',
    '      <labels>',
    ...labels.flatMap((l) => ['        <label>', `          <name>${escapeXml(l)}</name>`, '          <type>rectangle</type>', '          <attributes>', '          </attributes>', '        </label>']),
    '      </labels>',
    '      <original_size>',
    `        <width>${v.width}</width>`,
    `        <height>${v.height}</height>`,
    '      </original_size>',
    '    </task>',
    `    <source>${escapeXml(fileLabel(v.src))}</source>`,
    '  </meta>',
  ];
  a.tracks.forEach((t, i) => {
    const keys = keysWithin(keysOf(t), 0, v.frameCount - 1);
    const boxes: string[] = [];
    let shown = false;
    let anyHuman = false;
    for (let k = 0; k < keys.frames.length; k++) {
      const f = keys.frames[k]!;
      const flags = keys.flags[k]!;
      const outside = (flags & KEY_OUTSIDE) !== 0;
      // Before the track starts and after it ended, an outside box says nothing; past the video, CVAT refuses it.
      if (f < 0 || f >= v.frameCount || (outside && !shown)) continue;
      shown = !outside;
      if (sourceOf(flags) === 'human') anyHuman = true;
      const b = keys.boxes.subarray(k * 4, k * 4 + 4);
      boxes.push(
        `    <box frame="${f}" keyframe="1" outside="${outside ? 1 : 0}" occluded="${flags & KEY_OCCLUDED ? 1 : 0}" xtl="${fmt(b[0]!)}" ytl="${fmt(b[1]!)}" xbr="${fmt(b[2]!)}" ybr="${fmt(b[3]!)}" z_order="0"/>`,
      );
    }
    if (!boxes.length) return;
    const source = t.provenance === 'human' || anyHuman ? 'manual' : 'auto';
    out.push(`  <track id="${numeric ? t.id : i}" label="${escapeXml(t.category)}" source="${source}">`, ...boxes, '  </track>');
  });
  out.push('</annotations>', '');
  return out.join('\n');
}
