/**
 * Reader for pipeline proposals, `imove-proposals/1` (DESIGN §5): one JSON object per video, in a
 * `.json` file or one per line of a `.jsonl`. All or nothing: any problem throws a FormatError
 * naming the file, line and JSON path, and nothing is returned.
 *
 * zod checks the structure around the boxes; the boxes themselves (up to millions) are checked in
 * a tight loop, and go straight from JSON.parse's arrays into typed-array keyframe tables.
 */

import { z } from 'zod';
import type { Annotation, Box, Span, Tag, Track } from '../model/types';
import { keyframesFromDense } from '../model/keyframes';
import { ErrorSink, FormatError, fileLabel, formatPath, type PathSeg } from './errors';
import { checkFormatTag, describeValue, errorMap, readRecords, reportIssues, resolveUrl, type JsonRecord, type TextKind } from './jsonInput';

export const PROPOSALS_FORMAT = 'imove-proposals/1';

/** A box may lie partly outside the frame, but not beyond this many frame sizes away. */
export const ABSURD_FACTOR = 10;

/**
 * Keyframe frames are Int32Array entries (a track's closing key sits at frame_count), and boxes
 * Float32Array ones: larger values would wrap or become Infinity when stored, not be refused.
 */
export const MAX_FRAME_COUNT = 2 ** 31 - 1;
/** No video is this wide; it also keeps every box within ABSURD_FACTOR of the frame finite in float32. */
export const MAX_VIDEO_SIZE = 100_000;

const Id = z.custom<string | number>(
  (v) => (typeof v === 'string' && v.length > 0) || Number.isSafeInteger(v),
  'expected a non-empty string (or integer) id',
);
const ArrayOf = (what: string) => z.custom<unknown[]>((v) => Array.isArray(v), `expected an array of ${what}`);
const Score = z.number().nullish();

const VideoSchema = z.object({
  id: Id,
  src: z.string().min(1),
  fps: z.number().positive(),
  width: z.number().positive().max(MAX_VIDEO_SIZE),
  height: z.number().positive().max(MAX_VIDEO_SIZE),
  frame_count: z.int().positive().max(MAX_FRAME_COUNT),
});

const TrackSchema = z.object({
  start_frame: z.int().nonnegative(),
  boxes: ArrayOf('boxes ([x1, y1, x2, y2] or null)'),
  scores: ArrayOf('scores (number or null)').nullish(),
});

const InstanceSchema = z.object({
  id: Id,
  category: z.string(),
  score: Score,
  track: TrackSchema,
});

const SegmentSchema = z.object({
  instance: Id,
  start_frame: z.int().nonnegative(),
  end_frame: z.int().nonnegative(),
  caption: z.string(),
  captioner: z.string().nullish(),
});

const TagSchema = z.object({ category: z.string(), score: Score });

const ProposalsSchema = z.object({
  format: z.literal(PROPOSALS_FORMAT),
  video: VideoSchema,
  tags: z.array(TagSchema).nullish(),
  instances: z.array(InstanceSchema).nullish(),
  segments: z.array(SegmentSchema).nullish(),
});

type ProposalsDoc = z.infer<typeof ProposalsSchema>;

/**
 * Checks the boxes and scores of one track; returns false if any is bad. Written as a plain loop:
 * this runs over every box of every track.
 */
function checkTrack(
  sink: ErrorSink,
  rec: JsonRecord,
  base: PathSeg[],
  boxes: readonly unknown[],
  scores: readonly unknown[] | null | undefined,
  width: number,
  height: number,
): boolean {
  const before = sink.count;
  const minX = -ABSURD_FACTOR * width;
  const maxX = (ABSURD_FACTOR + 1) * width;
  const minY = -ABSURD_FACTOR * height;
  const maxY = (ABSURD_FACTOR + 1) * height;
  const n = boxes.length;
  for (let i = 0; i < n; i++) {
    const b = boxes[i];
    if (b === null) continue;
    if (!Array.isArray(b) || b.length !== 4) {
      sink.add([...base, 'boxes', i], `expected a box [x1, y1, x2, y2] or null, got ${describeValue(b)}`, rec.source);
      continue;
    }
    const x1 = b[0] as unknown;
    const y1 = b[1] as unknown;
    const x2 = b[2] as unknown;
    const y2 = b[3] as unknown;
    if (typeof x1 !== 'number' || typeof y1 !== 'number' || typeof x2 !== 'number' || typeof y2 !== 'number' || !(Number.isFinite(x1) && Number.isFinite(y1) && Number.isFinite(x2) && Number.isFinite(y2))) {
      for (let k = 0; k < 4; k++) {
        const c = b[k] as unknown;
        if (typeof c !== 'number' || !Number.isFinite(c)) sink.add([...base, 'boxes', i, k], `expected a finite number, got ${describeValue(c)}`, rec.source);
      }
      continue;
    }
    if (x2 < x1) sink.add([...base, 'boxes', i], `x2 (${x2}) < x1 (${x1})`, rec.source);
    if (y2 < y1) sink.add([...base, 'boxes', i], `y2 (${y2}) < y1 (${y1})`, rec.source);
    if (x1 < minX || x2 > maxX || y1 < minY || y2 > maxY) {
      sink.add([...base, 'boxes', i], `box [${x1}, ${y1}, ${x2}, ${y2}] lies more than ${ABSURD_FACTOR}× the frame size (${width}×${height}) outside the frame`, rec.source);
    }
  }
  if (scores) {
    if (scores.length !== n) {
      sink.add([...base, 'scores'], `has ${scores.length} entries but boxes has ${n} (one score or null per box)`, rec.source);
    } else {
      for (let i = 0; i < n; i++) {
        const s = scores[i];
        if (s !== null && (typeof s !== 'number' || !Number.isFinite(s))) sink.add([...base, 'scores', i], `expected a number or null, got ${describeValue(s)}`, rec.source);
        // Stored as a float32, where this would be Infinity.
        else if (s !== null && !Number.isFinite(Math.fround(s))) sink.add([...base, 'scores', i], `score ${s} is out of range`, rec.source);
      }
    }
  }
  return sink.count === before;
}

/** Semantic checks the schema cannot express; returns false if any failed. */
function checkDoc(sink: ErrorSink, rec: JsonRecord, doc: ProposalsDoc): boolean {
  const before = sink.count;
  const p = rec.prefix;
  const { width, height, frame_count: frameCount } = doc.video;
  const last = frameCount - 1;
  const ids = new Map<string, number>();
  (doc.instances ?? []).forEach((inst, j) => {
    const id = String(inst.id);
    const seen = ids.get(id);
    if (seen !== undefined) sink.add([...p, 'instances', j, 'id'], `duplicate instance id "${id}" (also at $.instances[${seen}].id)`, rec.source);
    else ids.set(id, j);
    const base: PathSeg[] = [...p, 'instances', j, 'track'];
    const { start_frame: start, boxes, scores } = inst.track;
    if (start > last) {
      sink.add([...base, 'start_frame'], `start_frame ${start} is past the last frame (${last}; frame_count ${frameCount})`, rec.source);
    } else if (start + boxes.length > frameCount) {
      sink.add(
        [...base, 'boxes'],
        `${boxes.length} boxes from frame ${start} run to frame ${start + boxes.length - 1}, past the last frame (${last}; frame_count ${frameCount})`,
        rec.source,
      );
    }
    checkTrack(sink, rec, base, boxes, scores, width, height);
  });
  (doc.segments ?? []).forEach((seg, k) => {
    const base: PathSeg[] = [...p, 'segments', k];
    if (!ids.has(String(seg.instance))) sink.add([...base, 'instance'], `refers to instance "${String(seg.instance)}", which is not in $.instances`, rec.source);
    if (seg.start_frame > seg.end_frame) sink.add(base, `start_frame (${seg.start_frame}) > end_frame (${seg.end_frame})`, rec.source);
    if (seg.end_frame > last) sink.add([...base, 'end_frame'], `end_frame ${seg.end_frame} is past the last frame (${last}; frame_count ${frameCount})`, rec.source);
    else if (seg.start_frame > last) sink.add([...base, 'start_frame'], `start_frame ${seg.start_frame} is past the last frame (${last}; frame_count ${frameCount})`, rec.source);
  });
  return sink.count === before;
}

function toAnnotation(doc: ProposalsDoc, baseUrl: string | undefined): Annotation {
  const v = doc.video;
  const tags: Tag[] = (doc.tags ?? []).map((t) => (t.score != null ? { category: t.category, score: t.score } : { category: t.category }));
  const tracks: Track[] = (doc.instances ?? []).map((inst) => {
    const t: Track = {
      id: String(inst.id),
      category: inst.category,
      provenance: 'model',
      keys: keyframesFromDense(
        inst.track.start_frame,
        inst.track.boxes as ReadonlyArray<Box | null>,
        (inst.track.scores ?? undefined) as ReadonlyArray<number | null> | undefined,
        'model',
      ),
    };
    if (inst.score != null) t.score = inst.score;
    return t;
  });
  const perInstance = new Map<string, number>();
  const spans: Span[] = (doc.segments ?? []).map((seg) => {
    const trackId = String(seg.instance);
    const k = perInstance.get(trackId) ?? 0;
    perInstance.set(trackId, k + 1);
    const s: Span = {
      id: `${trackId}_s${k}`,
      trackId,
      start: seg.start_frame,
      end: seg.end_frame,
      caption: seg.caption,
      captionSource: 'model',
      modelCaption: seg.caption,
    };
    if (seg.captioner != null) s.captioner = seg.captioner;
    return s;
  });
  return {
    video: { id: String(v.id), src: resolveUrl(v.src, baseUrl), width: v.width, height: v.height, fps: v.fps, frameCount: v.frame_count },
    tags,
    tracks,
    spans,
  };
}

export interface ParseOptions {
  /** Force JSON or JSONL instead of going by the file name. */
  kind?: TextKind;
}

/**
 * Parse a proposals file. `file` names it in messages (and its extension picks JSON or JSONL);
 * `baseUrl` (the proposals file's absolute URL) resolves `video.src`.
 * @throws FormatError (a FormatErrors if there are several problems)
 */
export function parseProposalsText(text: string, file: string, baseUrl?: string, options: ParseOptions = {}): Annotation[] {
  const label = fileLabel(file);
  const sink = new ErrorSink(label);
  const records = readRecords(text, file, sink, options.kind);
  if (records.length === 0 && sink.count === 0) {
    throw new FormatError({ file: label, path: '$', detail: 'no videos: the file is empty' });
  }
  const out: Annotation[] = [];
  const videoIds = new Map<string, string>();
  for (const rec of records) {
    if (!checkFormatTag(sink, rec, PROPOSALS_FORMAT, "one video's proposals")) continue;
    const r = ProposalsSchema.safeParse(rec.value, { error: errorMap });
    if (!r.success) {
      reportIssues(sink, rec, r.error);
      continue;
    }
    const doc = r.data;
    const id = String(doc.video.id);
    const seen = videoIds.get(id);
    if (seen !== undefined) sink.add([...rec.prefix, 'video', 'id'], `duplicate video id "${id}" (also ${seen})`, rec.source);
    else videoIds.set(id, rec.prefix.length ? `at ${formatPath([...rec.prefix, 'video', 'id'])}` : `on line ${rec.line}`);
    if (!checkDoc(sink, rec, doc)) continue;
    // Once anything failed nothing is returned: stop building, keep checking (to report the rest).
    if (sink.count === 0) out.push(toAnnotation(doc, baseUrl));
  }
  sink.throwIfAny();
  return out;
}
