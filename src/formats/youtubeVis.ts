/**
 * YouTube-VIS JSON, in two layouts:
 * - native (the challenge's own): one annotation per instance with `bboxes`, a list holding an
 *   [x, y, w, h] or null for every frame of its video;
 * - mmtracking's CocoVID: COCO `images` with a 0-based `frame_id`, and one annotation per instance
 *   per image, linked across frames by `instance_id`.
 *
 * Frames: our frame index is the position in the video's frame list (`file_names`, or `frame_id`),
 * not the source frame the file name encodes. YouTube-VIS ships every 5th frame of a 30 fps video as
 * JPEGs; the video we annotate is made of those frames, hence DEFAULT_FPS 6.
 *
 * A file holds several videos: the reader returns one annotation per video, in the file's order
 * (a video without instances gives an annotation without tracks). Masks are not read; crowd
 * regions (iscrowd 1) are not instances and are skipped (counted).
 */

import { z } from 'zod';
import { boxAt, keyframesFromDense, keyframesFromList } from '../model/keyframes';
import type { Annotation, Box, Keyframe, KeyframeTable, Track } from '../model/types';
import { ErrorSink, FormatError, fileLabel, type PathSeg, type SourceText } from './errors';
import { describeValue, errorMap, parseJsonText, reportIssues, type JsonRecord } from './jsonInput';
import { ABSURD_FACTOR } from './proposals';

export const DEFAULT_FPS = 6;
/** Frames live in Int32Arrays (and a track may close one past the last frame). */
const MAX_FRAMES = 2 ** 31 - 2;
/** Far beyond any video, and small enough that boxes ABSURD_FACTOR frames away stay finite in float32. */
const MAX_SIDE = 100_000;
const Side = z.number().positive().max(MAX_SIDE);

export interface YoutubeVisOptions {
  /** The file has no frame rate (mmtracking's CocoVID may: a video's `fps` is used). */
  fps?: number;
}

export interface YoutubeVisImport {
  annotations: Annotation[];
  layout: 'native' | 'cocovid';
  /** Crowd regions (iscrowd 1) not imported: in native files annotations, in CocoVID boxes. */
  crowd: number;
  /** Instances without a single box. */
  empty: number;
  fpsGuessed: boolean;
}

const Id = z.union([z.int(), z.string().min(1)]);
const Category = z.object({ id: Id, name: z.string() });
const Crowd = z.union([z.literal(0), z.literal(1), z.boolean()]).nullish();

const NativeVideo = z.object({
  id: Id,
  width: Side,
  height: Side,
  length: z.int().positive().max(MAX_FRAMES).nullish(),
  file_names: z.array(z.string()).nullish(),
  fps: z.number().positive().nullish(),
});
const NativeDoc = z.object({
  videos: z.array(NativeVideo),
  annotations: z.array(
    z.object({
      id: Id,
      video_id: Id,
      category_id: Id,
      bboxes: z.custom<unknown[]>((v) => Array.isArray(v), 'expected an array of boxes ([x, y, w, h] or null), one per frame'),
      iscrowd: Crowd,
      score: z.number().nullish(),
    }),
  ),
  categories: z.array(Category),
});

const CocoDoc = z.object({
  videos: z.array(z.object({ id: Id, name: z.string().nullish(), width: Side.nullish(), height: Side.nullish(), fps: z.number().positive().nullish() })),
  images: z.array(z.object({ id: Id, video_id: Id, frame_id: z.int().nonnegative().max(MAX_FRAMES - 1), file_name: z.string().nullish(), width: Side.nullish(), height: Side.nullish() })),
  annotations: z.array(
    z.object({
      image_id: Id,
      video_id: Id.nullish(),
      category_id: Id,
      instance_id: Id,
      bbox: z.custom<unknown[]>((v) => Array.isArray(v), 'expected a box [x, y, w, h]'),
      iscrowd: Crowd,
      score: z.number().nullish(),
    }),
  ),
  categories: z.array(Category),
});

/** One [x, y, w, h] to [x1, y1, x2, y2], or a problem; null stays null. */
function readBox(v: unknown, w: number, h: number, sink: ErrorSink, path: PathSeg[], source: SourceText): Box | null | undefined {
  if (v === null) return null;
  if (!Array.isArray(v) || v.length !== 4 || !v.every((c) => typeof c === 'number' && Number.isFinite(c))) {
    sink.add(path, `expected a box [x, y, width, height] or null, got ${Array.isArray(v) ? `[${v.map(describeValue).join(', ')}]` : describeValue(v)}`, source);
    return undefined;
  }
  const [x, y, bw, bh] = v as [number, number, number, number];
  if (bw < 0 || bh < 0) {
    sink.add(path, `the box must not have a negative size, got ${bw}×${bh}`, source);
    return undefined;
  }
  if (x < -ABSURD_FACTOR * w || x + bw > (ABSURD_FACTOR + 1) * w || y < -ABSURD_FACTOR * h || y + bh > (ABSURD_FACTOR + 1) * h) {
    sink.add(path, `box [${x}, ${y}, ${bw}, ${bh}] lies more than ${ABSURD_FACTOR}× the frame size (${w}×${h}) outside the frame`, source);
    return undefined;
  }
  return [x, y, x + bw, y + bh];
}

/**
 * Boxes at scattered frames as keyframes, the way keyframesFromDense would make them (an outside
 * key after each run), without a dense array: frame_ids may be far apart.
 */
function keysOfSparse(boxes: Map<number, Box>): KeyframeTable {
  const frames = [...boxes.keys()].sort((p, q) => p - q);
  const list: Keyframe[] = [];
  frames.forEach((f, i) => {
    const box = boxes.get(f)!;
    list.push({ frame: f, box, outside: false, occluded: false, source: 'model' });
    if (frames[i + 1] !== f + 1) list.push({ frame: f + 1, box, outside: true, occluded: false, source: 'model' });
  });
  return keyframesFromList(list);
}

interface VideoOut {
  meta: Annotation['video'];
  tracks: Track[];
}

function finish(videos: VideoOut[]): Annotation[] {
  return videos.map((v) => ({ video: v.meta, tags: [...new Set(v.tracks.map((t) => t.category))].map((category) => ({ category })), tracks: v.tracks, spans: [] }));
}

function categoryNames(cats: Array<z.infer<typeof Category>>, sink: ErrorSink, source: SourceText): Map<string, string> {
  const names = new Map<string, string>();
  cats.forEach((c, i) => {
    if (names.has(String(c.id))) sink.add(['categories', i, 'id'], `duplicate category id ${String(c.id)}`, source);
    names.set(String(c.id), c.name);
  });
  return names;
}

function readNative(doc: z.infer<typeof NativeDoc>, sink: ErrorSink, source: SourceText, opts: YoutubeVisOptions) {
  const names = categoryNames(doc.categories, sink, source);
  const byId = new Map<string, { out: VideoOut; index: number }>();
  const videos = doc.videos.map((v, i): VideoOut => {
    const frames = v.length ?? v.file_names?.length;
    if (!frames) sink.add(['videos', i], 'the video has neither length nor file_names (or they are empty): its frame count is unknown', source);
    else if (frames > MAX_FRAMES) sink.add(['videos', i, 'file_names'], `${frames} frames are too many`, source);
    if (v.length != null && v.file_names && v.file_names.length !== v.length) sink.add(['videos', i, 'file_names'], `has ${v.file_names.length} names but length is ${v.length}`, source);
    const dir = v.file_names?.[0]?.split('/').slice(0, -1).join('/');
    const id = dir || String(v.id);
    const out: VideoOut = { meta: { id, src: `${id}.mp4`, width: v.width, height: v.height, fps: opts.fps ?? v.fps ?? DEFAULT_FPS, frameCount: frames ?? 1 }, tracks: [] };
    if (byId.has(String(v.id))) sink.add(['videos', i, 'id'], `duplicate video id ${String(v.id)}`, source);
    byId.set(String(v.id), { out, index: i });
    return out;
  });
  let crowd = 0;
  let empty = 0;
  const trackIds = new Set<string>();
  doc.annotations.forEach((a, i) => {
    const at: PathSeg[] = ['annotations', i];
    const video = byId.get(String(a.video_id));
    const category = names.get(String(a.category_id));
    if (!video) return sink.add([...at, 'video_id'], `no video with id ${String(a.video_id)}`, source);
    if (category === undefined) return sink.add([...at, 'category_id'], `no category with id ${String(a.category_id)}`, source);
    const id = String(a.id);
    if (trackIds.has(id)) return sink.add([...at, 'id'], `duplicate annotation id ${id}`, source);
    trackIds.add(id);
    const { width: w, height: h, frameCount } = video.out.meta;
    if (a.bboxes.length > frameCount) sink.add([...at, 'bboxes'], `has ${a.bboxes.length} entries but the video has ${frameCount} frames`, source);
    const boxes: Array<Box | null> = [];
    const before = sink.count;
    for (let f = 0; f < a.bboxes.length && !sink.full; f++) {
      const b = readBox(a.bboxes[f], w, h, sink, [...at, 'bboxes', f], source);
      if (b !== undefined) boxes.push(b);
    }
    if (sink.count > before) return;
    if (a.iscrowd === 1 || a.iscrowd === true) return void crowd++;
    if (!boxes.some((b) => b)) return void empty++;
    const track: Track = { id, category, provenance: 'model', keys: keyframesFromDense(0, boxes) };
    if (a.score != null) track.score = a.score;
    video.out.tracks.push(track);
  });
  return { videos, crowd, empty };
}

function readCocoVid(doc: z.infer<typeof CocoDoc>, sink: ErrorSink, source: SourceText, opts: YoutubeVisOptions) {
  const names = categoryNames(doc.categories, sink, source);
  type V = { out: VideoOut; sized: boolean; frames: Set<number>; inst: Map<string, { category: string; score?: number; boxes: Map<number, Box>; at: PathSeg[] }> };
  const byId = new Map<string, V>();
  const videos = doc.videos.map((v, i): VideoOut => {
    const id = v.name || String(v.id);
    const out: VideoOut = { meta: { id, src: `${id}.mp4`, width: v.width ?? 0, height: v.height ?? 0, fps: opts.fps ?? v.fps ?? DEFAULT_FPS, frameCount: 0 }, tracks: [] };
    if (byId.has(String(v.id))) sink.add(['videos', i, 'id'], `duplicate video id ${String(v.id)}`, source);
    byId.set(String(v.id), { out, sized: v.width != null && v.height != null, frames: new Set(), inst: new Map() });
    return out;
  });
  const images = new Map<string, { video: V; frame: number }>();
  doc.images.forEach((im, i) => {
    const video = byId.get(String(im.video_id));
    if (!video) return sink.add(['images', i, 'video_id'], `no video with id ${String(im.video_id)}`, source);
    if (images.has(String(im.id))) return sink.add(['images', i, 'id'], `duplicate image id ${String(im.id)}`, source);
    if (video.frames.has(im.frame_id)) return sink.add(['images', i, 'frame_id'], `video ${String(im.video_id)} has two images at frame_id ${im.frame_id}`, source);
    video.frames.add(im.frame_id);
    images.set(String(im.id), { video, frame: im.frame_id });
    const m = video.out.meta;
    m.frameCount = Math.max(m.frameCount, im.frame_id + 1);
    if (!video.sized && im.width != null && im.height != null) {
      m.width = im.width;
      m.height = im.height;
      video.sized = true;
    }
  });
  for (const [id, v] of byId) if (v.frames.size === 0) sink.add(['videos', videos.indexOf(v.out)], `video ${id} has no images`, source);
  for (const [id, v] of byId) if (v.frames.size && !v.sized) sink.add(['videos', videos.indexOf(v.out)], `the size of video ${id} is unknown: neither it nor its images have width and height`, source);
  if (sink.count) return { videos, crowd: 0, empty: 0 };
  let crowd = 0;
  doc.annotations.forEach((a, i) => {
    const at: PathSeg[] = ['annotations', i];
    const image = images.get(String(a.image_id));
    const category = names.get(String(a.category_id));
    if (!image) return sink.add([...at, 'image_id'], `no image with id ${String(a.image_id)}`, source);
    if (category === undefined) return sink.add([...at, 'category_id'], `no category with id ${String(a.category_id)}`, source);
    const { video, frame } = image;
    if (a.video_id != null && byId.get(String(a.video_id)) !== video) return sink.add([...at, 'video_id'], `is ${String(a.video_id)}, but image ${String(a.image_id)} belongs to another video`, source);
    const box = readBox(a.bbox, video.out.meta.width, video.out.meta.height, sink, [...at, 'bbox'], source);
    if (box === undefined) return;
    if (box === null) return sink.add([...at, 'bbox'], 'expected a box [x, y, w, h], got null', source);
    if (a.iscrowd === 1 || a.iscrowd === true) return void crowd++;
    const key = String(a.instance_id);
    let inst = video.inst.get(key);
    if (!inst) video.inst.set(key, (inst = { category, boxes: new Map(), at }));
    if (inst.category !== category) return sink.add([...at, 'category_id'], `instance ${key} is "${inst.category}" elsewhere (first at $.annotations[${String(inst.at[1])}])`, source);
    if (inst.boxes.has(frame)) return sink.add(at, `instance ${key} has two boxes at frame_id ${frame}`, source);
    inst.boxes.set(frame, box);
    if (a.score != null) inst.score = a.score;
  });
  for (const v of byId.values()) {
    for (const [id, inst] of v.inst) {
      const track: Track = { id, category: inst.category, provenance: 'model', keys: keysOfSparse(inst.boxes) };
      if (inst.score !== undefined) track.score = inst.score;
      v.out.tracks.push(track);
    }
  }
  return { videos, crowd, empty: 0 };
}

/**
 * All or nothing: any bad video, image or box rejects the file, naming the line and JSON path.
 * @throws FormatError (a FormatErrors if there are several problems)
 */
export function parseYoutubeVis(text: string, file: string, opts: YoutubeVisOptions = {}): YoutubeVisImport {
  const label = fileLabel(file);
  const sink = new ErrorSink(label);
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!/\S/.test(clean)) throw new FormatError({ file: label, path: '$', detail: 'the file is empty' });
  if (opts.fps !== undefined && !(typeof opts.fps === 'number' && opts.fps > 0 && Number.isFinite(opts.fps))) throw new FormatError({ file: label, path: '$', detail: `option fps must be a positive number, got ${describeValue(opts.fps)}` });
  const source: SourceText = { text: clean, firstLine: 1 };
  const parsed = parseJsonText(clean, source, sink);
  if (!parsed) throw sink.toError()!;
  const value = parsed.value;
  if (Array.isArray(value)) throw new FormatError({ file: label, line: 1, path: '$', detail: 'a list, not an object: this looks like a results file (predictions with masks only), which has no boxes to import' });
  if (value === null || typeof value !== 'object') throw new FormatError({ file: label, line: 1, path: '$', detail: `expected a JSON object with videos, annotations and categories, got ${describeValue(value)}` });
  const rec: JsonRecord = { value, prefix: [], source, line: 1 };
  const cocovid = 'images' in value;
  let result: { videos: VideoOut[]; crowd: number; empty: number };
  if (cocovid) {
    const r = CocoDoc.safeParse(value, { error: errorMap });
    if (!r.success) reportIssues(sink, rec, r.error);
    result = r.success ? readCocoVid(r.data, sink, source, opts) : { videos: [], crowd: 0, empty: 0 };
  } else {
    const r = NativeDoc.safeParse(value, { error: errorMap });
    if (!r.success) reportIssues(sink, rec, r.error);
    result = r.success ? readNative(r.data, sink, source, opts) : { videos: [], crowd: 0, empty: 0 };
  }
  sink.throwIfAny();
  const fpsGuessed = opts.fps === undefined && (value as { videos?: unknown[] }).videos!.some((v) => (v as { fps?: unknown }).fps == null);
  return { annotations: finish(result.videos), layout: cocovid ? 'cocovid' : 'native', crowd: result.crowd, empty: result.empty, fpsGuessed };
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Native YouTube-VIS for one video: a box or null on every frame (what boxAt shows), no masks
 * (`segmentations` null), areas w·h. Numeric track ids are kept, others numbered from 1. The frame
 * names are made up (`<video id>/00000.jpg`, …): we have a video, not its frames.
 */
export function writeYoutubeVis(a: Annotation, keysOf: (t: Track) => KeyframeTable): string {
  const v = a.video;
  const cats = [...new Set([...a.tracks.map((t) => t.category), ...a.tags.map((t) => t.category)])];
  const numeric = a.tracks.every((t) => /^[1-9]\d{0,14}$/.test(t.id)) && new Set(a.tracks.map((t) => t.id)).size === a.tracks.length;
  const annotations = a.tracks.map((t, i) => {
    const keys = keysOf(t);
    const bboxes: Array<[number, number, number, number] | null> = [];
    const areas: Array<number | null> = [];
    for (let f = 0; f < v.frameCount; f++) {
      const st = boxAt(keys, f);
      if (!st) {
        bboxes.push(null);
        areas.push(null);
        continue;
      }
      const [x1, y1, x2, y2] = st.box;
      bboxes.push([r3(x1), r3(y1), r3(x2 - x1), r3(y2 - y1)]);
      areas.push(r3((x2 - x1) * (y2 - y1)));
    }
    const out: Record<string, unknown> = {
      id: numeric ? Number(t.id) : i + 1,
      video_id: 1,
      category_id: cats.indexOf(t.category) + 1,
      iscrowd: 0,
      bboxes,
      areas,
      segmentations: bboxes.map(() => null),
    };
    if (t.score !== undefined) out.score = t.score;
    return out;
  });
  const file_names = Array.from({ length: v.frameCount }, (_, f) => `${v.id}/${String(f).padStart(5, '0')}.jpg`);
  const doc = {
    info: { description: `${v.id}, exported from iMOVE Studio` },
    videos: [{ id: 1, width: v.width, height: v.height, length: v.frameCount, fps: v.fps, file_names }],
    annotations,
    categories: cats.map((name, i) => ({ id: i + 1, name, supercategory: 'object' })),
  };
  return JSON.stringify(doc) + '\n';
}
