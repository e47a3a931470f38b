import { boxAt, keyframesFromList } from '../model/keyframes';
import type { Annotation, Box, Keyframe, KeyframeTable, Track } from '../model/types';
import { ErrorSink, fileLabel, FormatError } from './errors';
import { describeValue } from './jsonInput';
import { ABSURD_FACTOR, MAX_FRAME_COUNT, MAX_VIDEO_SIZE } from './proposals';

/**
 * MOTChallenge ground truth (`gt.txt` + `seqinfo.ini`): one line per box,
 * `frame,id,bb_left,bb_top,bb_width,bb_height,conf,class,visibility` (MOT16/17) or
 * `frame,id,bb_left,bb_top,bb_width,bb_height,conf,x,y,z` (MOT15). Frames are 1-based (we are
 * 0-based, so they shift by one). Pixel coordinates are taken as written: CVAT's MOT (Datumaro),
 * TrackEval and py-motmetrics all read and write them so, and a shift would move every box that
 * went through CVAT by a pixel (the MOTChallenge devkit's 1-based pixels differ from that by a
 * constant half pixel at most, which no IoU sees). A `conf` of 0 marks a box the benchmark
 * ignores: it is skipped (and counted). Lines may be separated by commas or, as py-motmetrics also
 * reads, by whitespace.
 */
export interface SeqInfo {
  name?: string;
  frameRate: number;
  seqLength: number;
  width: number;
  height: number;
}

/** MOT16/17 class ids (MOT15 has none: every target is a pedestrian). */
export const MOT_CLASSES: Record<number, string> = {
  1: 'pedestrian', 2: 'person on vehicle', 3: 'car', 4: 'bicycle', 5: 'motorbike', 6: 'non-motorized vehicle',
  7: 'static person', 8: 'distractor', 9: 'occluder', 10: 'occluder on the ground', 11: 'occluder full', 12: 'reflection', 13: 'crowd',
};
const CLASS_IDS: Record<string, number> = {
  ...Object.fromEntries(Object.entries(MOT_CLASSES).map(([k, v]) => [v, Number(k)])),
  // The detector's words for MOT's classes (a tagger says "person", MOT "pedestrian").
  person: 1, people: 1, man: 1, woman: 1, child: 1, bike: 4, motorcycle: 5,
};

/** The MOT17 class a category is written as, or undefined when MOT has none (it is then written as 1). */
export function motClassId(category: string): number | undefined {
  return Object.hasOwn(CLASS_IDS, category) ? CLASS_IDS[category] : undefined;
}
/** Below this MOT17 visibility a box is marked occluded. */
const OCCLUDED_BELOW = 0.5;

const KEY = /^[A-Za-z]\w*$/;
const LINE_BREAK = /[\r\u2028\u2029]/;

export function parseSeqInfo(text: string, file: string): SeqInfo {
  const label = fileLabel(file);
  const values: Record<string, { v: string; line: number }> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    // Split at '=' and trim, not one regex: `\s*(.*?)\s*$` is quadratic on a long run of spaces.
    const eq = raw.indexOf('=');
    if (eq < 0) return;
    const key = raw.slice(0, eq).trim();
    const v = raw.slice(eq + 1).trim();
    if (KEY.test(key) && !LINE_BREAK.test(v)) values[key] = { v, line: i + 1 };
  });
  const num = (k: string, min: number, max = Infinity, int = false): number => {
    const e = values[k];
    if (!e) throw new FormatError({ file: label, path: `[Sequence].${k}`, detail: 'missing' });
    const v = Number(e.v);
    if (!Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) {
      throw new FormatError({ file: label, line: e.line, path: `[Sequence].${k}`, detail: `expected ${int ? 'an integer' : 'a number'} ${max < Infinity ? `from ${min} to ${max}` : `≥ ${min}`}, got ${describeValue(e.v)}` });
    }
    return v;
  };
  // The same limits as proposals: frames are Int32Array entries, boxes float32 ones.
  const info: SeqInfo = {
    frameRate: num('frameRate', 0.001),
    seqLength: num('seqLength', 1, MAX_FRAME_COUNT, true),
    width: num('imWidth', 1, MAX_VIDEO_SIZE),
    height: num('imHeight', 1, MAX_VIDEO_SIZE),
  };
  if (values.name) info.name = values.name.v;
  return info;
}

const COLUMNS = ['frame', 'id', 'bb_left', 'bb_top', 'bb_width', 'bb_height', 'conf', 'class', 'visibility'];

export interface MotImport {
  annotation: Annotation;
  /** Boxes with conf 0 (ignored by the benchmark), not imported. */
  ignored: number;
}

/** All or nothing: any bad line rejects the file, naming its line and column. */
export function parseMot(text: string, file: string, seq: SeqInfo, videoId = seq.name ?? 'video', src = `${videoId}.mp4`): MotImport {
  const label = fileLabel(file);
  if (!/\S/.test(text)) throw new FormatError({ file: label, path: '/', detail: 'the file is empty (no boxes)' });
  const sink = new ErrorSink(label);
  type Row = { frame: number; box: Box; cls: number | null; vis: number };
  const byId = new Map<number, Row[]>();
  let ignored = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || sink.full) return;
    // Not split(/\s*,\s*/): that is quadratic on a long run of spaces (seconds for one bad line).
    const cells = line.includes(',') ? line.split(',').map((c) => c.trim()) : line.split(/\s+/);
    const at = (c: number, detail: string) => sink.addAt([COLUMNS[c] ?? `column ${c + 1}`], detail, i + 1);
    if (cells.length < 6) return at(Math.min(cells.length, 5), `expected at least 6 values separated by commas (or spaces), got ${cells.length}`);
    const v = cells.map(Number);
    for (let c = 0; c < Math.min(cells.length, 9); c++) if (!Number.isFinite(v[c])) return at(c, `${describeValue(cells[c])} is not a number`);
    const [frame, id, left, top, w, h] = v as [number, number, number, number, number, number];
    if (!Number.isInteger(frame) || frame < 1) return at(0, `frames are 1-based integers, got ${cells[0]}`);
    if (frame > seq.seqLength) return at(0, `frame ${frame} is past the sequence's ${seq.seqLength} frames`);
    if (!Number.isInteger(id)) return at(1, `ids are integers, got ${cells[1]}`);
    if (!(w > 0) || !(h > 0)) return at(w > 0 ? 5 : 4, `the box must have a positive size, got ${w}×${h}`);
    const { width: fw, height: fh } = seq;
    if (left < -ABSURD_FACTOR * fw || left + w > (ABSURD_FACTOR + 1) * fw || top < -ABSURD_FACTOR * fh || top + h > (ABSURD_FACTOR + 1) * fh) {
      return at(2, `the box ${left},${top} ${w}×${h} lies more than ${ABSURD_FACTOR}× the frame size (${fw}×${fh}) outside the frame`);
    }
    if (cells.length >= 7 && v[6] === 0) {
      ignored++;
      return;
    }
    // MOT15 writes -1 for the world coordinates where MOT17 has class and visibility.
    const mot17 = cells.length === 9;
    const cls = mot17 ? v[7]! : null;
    const vis = mot17 ? v[8]! : 1;
    const rows = byId.get(id) ?? [];
    rows.push({ frame: frame - 1, box: [left, top, left + w, top + h], cls, vis });
    byId.set(id, rows);
  });
  const err = sink.toError();
  if (err) throw err;
  const tracks: Track[] = [];
  for (const id of [...byId.keys()].sort((a, b) => a - b)) {
    const rows = byId.get(id)!.sort((a, b) => a.frame - b.frame);
    for (let k = 1; k < rows.length; k++) {
      if (rows[k]!.frame === rows[k - 1]!.frame) throw new FormatError({ file: label, path: 'frame', detail: `id ${id} has two boxes at frame ${rows[k]!.frame + 1}` });
    }
    // Keyframes straight from the rows, not through a dense per-frame array: rows at frames 1 and
    // 2,000,000,000 are two boxes, not an allocation of two billion. A gap or the end gets an
    // outside key right after the last box, as a dense proposal's nulls would.
    const list: Keyframe[] = [];
    rows.forEach((r, k) => {
      list.push({ frame: r.frame, box: r.box, outside: false, occluded: r.vis < OCCLUDED_BELOW, source: 'model' });
      const next = rows[k + 1];
      if (!next || next.frame > r.frame + 1) list.push({ frame: r.frame + 1, box: r.box, outside: true, occluded: false, source: 'model' });
    });
    const keys = keyframesFromList(list);
    const cls = rows.find((r) => r.cls !== null)?.cls;
    tracks.push({ id: String(id), category: cls != null ? (MOT_CLASSES[cls] ?? `class ${cls}`) : 'pedestrian', provenance: 'model', keys });
  }
  const annotation: Annotation = {
    video: { id: videoId, src, width: seq.width, height: seq.height, fps: seq.frameRate, frameCount: seq.seqLength },
    tags: [...new Set(tracks.map((t) => t.category))].map((category) => ({ category })),
    tracks,
    spans: [],
  };
  return { annotation, ignored };
}

/** The curated tracks as MOT17 `gt.txt` (every frame where each instance is shown). */
export function writeMot(a: Annotation, keysOf: (t: Track) => KeyframeTable): string {
  const numeric = a.tracks.every((t) => /^[1-9]\d*$/.test(t.id));
  const lines: Array<[number, number, string]> = [];
  a.tracks.forEach((t, i) => {
    const id = numeric ? Number(t.id) : i + 1;
    const keys = keysOf(t);
    const cls = motClassId(t.category) ?? 1;
    for (let f = 0; f < a.video.frameCount; f++) {
      const st = boxAt(keys, f);
      if (!st) continue;
      const [x1, y1, x2, y2] = st.box;
      const r = (v: number) => String(Math.round(v * 100) / 100);
      lines.push([f, id, [f + 1, id, r(x1), r(y1), r(x2 - x1), r(y2 - y1), 1, cls, st.occluded ? 0.25 : 1].join(',')]);
    }
  });
  lines.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return lines.map((l) => l[2]).join('\n') + (lines.length ? '\n' : '');
}

export function writeSeqInfo(a: Annotation): string {
  return `[Sequence]\nname=${a.video.id}\nimDir=img1\nframeRate=${a.video.fps}\nseqLength=${a.video.frameCount}\nimWidth=${a.video.width}\nimHeight=${a.video.height}\nimExt=.jpg\n`;
}
