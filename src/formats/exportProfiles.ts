import type { QaOptions, QaTask } from '../tasks/generate';
import type { ImoveRecord } from './exportImove';
import { withoutTrailing } from '../tasks/render';

/**
 * Seed-dataset profiles (DESIGN §7): each turns one canonical iMOVE-IT record into one line of the
 * shape a seed dataset's training loader reads, or says why it cannot. Lines are plain objects built
 * with their keys in a fixed order, so JSON.stringify gives the same bytes for the same record.
 * Text is data: captions are copied verbatim (never HTML-escaped); JSON.stringify alone quotes them.
 */
export type ProfileId = 'imove' | 'llava' | 'elysium' | 'timechat' | 'vtimellm' | 'videorefer';

export interface ProfileResult {
  line?: unknown;
  skip?: string;
}

export interface ExportProfile {
  id: ProfileId;
  label: string;
  /** The tasks this profile can express; a record of any other task is skipped with `unsupported[task]`. */
  tasks: QaTask[];
  unsupported: Partial<Record<QaTask, string>>;
  /** Renderings the seed dataset's loader expects; the user's explicit choice wins over them. */
  defaults: Partial<QaOptions>;
  /**
   * The file its loader reads: JSON Lines, or one JSON array (LLaVA-style loaders `json.load` the
   * whole file, which fails on JSONL with "Extra data"). The user may choose the other.
   */
  container: ExportContainer;
  /** Set when the loader finds a video's features or frames by its file-name stem, which must then be unique. */
  stemKeyed?: string;
  toLines(record: ImoveRecord): ProfileResult;
}

export type ExportContainer = 'jsonl' | 'json';

const ALL_TASKS: QaTask[] = ['spatial_grounding', 'temporal_grounding', 'dynamic_captioning'];

/** What renderBox writes (`[34,40,51,67]`, `[0.340,…]`): found again in approved text, which may have been edited. */
const BOX_TEXT = String.raw`\[-?\d+(?:\.\d+)?(?:,-?\d+(?:\.\d+)?){3}\]`;
const SPAN_TEXT: Partial<Record<QaOptions['time'], RegExp>> = {
  sec_1dp: /\d+\.\d - \d+\.\d seconds/g,
  rel_00_99: /from \d\d to \d\d/g,
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;
const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * The video's name without folder or extension: TimeChat, VTimeLLM and Elysium key features and
 * extracted frames by it (VTimeLLM loads `{feat_folder}/{id}.npy`), so it must be the file's stem.
 */
export function videoStem(src: string): string {
  const path = src.split(/[?#]/)[0] ?? '';
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The temporal-grounding hint " The dog is at [..] when it begins." that generate.ts appends, removed for time-only models. */
function withoutBoxHint(question: string, category: string): string {
  return question.replace(new RegExp(` The ${escapeRegExp(category)} is at ${BOX_TEXT} when it begins\\.`, 'g'), '');
}

/** Models that prepend their own video tokens (TimeChat) want the question without `<video>`. */
const withoutVideoTag = (q: string) => q.replace(/<video>\n?/, '');

function boxesProblem(boxes: number[][], lo: number, hiX: number, hiY: number): string | undefined {
  for (const [i, b] of boxes.entries()) {
    const [x1, y1, x2, y2] = b;
    if (b.length !== 4 || !b.every(Number.isFinite)) return `box ${i} ${JSON.stringify(b)} is not 4 numbers`;
    if (x1! < lo || y1! < lo || x2! > hiX + 1e-6 || y2! > hiY + 1e-6) return `box ${i} ${JSON.stringify(b)} is outside the frame`;
    if (!(x2! > x1! && y2! > y1!)) return `box ${i} ${JSON.stringify(b)} is not [x1, y1, x2, y2] with x1 < x2, y1 < y2`;
  }
  return undefined;
}

function define(p: Omit<ExportProfile, 'tasks' | 'toLines'> & { convert(r: ImoveRecord): ProfileResult }): ExportProfile {
  const tasks = ALL_TASKS.filter((t) => !p.unsupported[t]);
  return {
    id: p.id,
    label: p.label,
    tasks,
    unsupported: p.unsupported,
    defaults: p.defaults,
    container: p.container,
    ...(p.stemKeyed ? { stemKeyed: p.stemKeyed } : {}),
    toLines: (r) => (tasks.includes(r.task) ? p.convert(r) : { skip: p.unsupported[r.task] }),
  };
}

/** The canonical record as is (DESIGN §7). */
const imove = define({
  id: 'imove',
  label: 'iMOVE-IT',
  unsupported: {},
  defaults: {},
  container: 'jsonl',
  convert: (r) => ({ line: r }),
});

/**
 * Source: LLaVA `docs/Finetune_Custom_Data.md` (`{id, image, conversations: [{from, value}]}`,
 * `<image>` placeholder), with `video`/`<video>` as Video-LLaVA and VideoLLaMA2 use them. Boxes and
 * times are text, so every task fits.
 */
const llava = define({
  id: 'llava',
  label: 'LLaVA',
  unsupported: {},
  defaults: {},
  container: 'json',
  convert: (r) => ({ line: { id: r.id, video: r.video, conversations: r.conversations } }),
});

/**
 * Source: Hon-Wong/Elysium README "Data Preparation" (keys `source, id, vid, metadata, frames,
 * object_class, box, object_description, frame_size`) and `data/processors/online_vqa_processor.py`
 * + `box_processor.py`. The loader builds the prompt itself from templates (SOT, VideoREC = referring
 * tracking, VideoREG = referring-expression generation) and renders `box` with `ours_v1`,
 * `int(round(v * 100))`: so `box` holds [0, 1] floats as in the README, and the int100 text appears
 * at training time. Writing 0–100 integers here would make that loader print 3400.
 * `frames` are the paths the loader opens (`frames/<vid>/<frame:06d>.jpg`, the README's layout, which
 * `ffmpeg -start_number 0 %06d.jpg` produces); the frame indices are in the names and in metadata.
 * A line names its task in `metadata.task` because the loader's `task="auto"` would otherwise draw
 * one at random, and a line approved for its boxes is not approved for its description or vice versa.
 */
const elysium = define({
  id: 'elysium',
  label: 'ElysiumTrack-1M',
  unsupported: { temporal_grounding: 'Elysium has no temporal task: its records are box tracks with a description, no time span is asked or answered' },
  defaults: { box: 'int100', frames: 8 },
  container: 'jsonl',
  stemKeyed: 'Elysium reads its frames from frames/<stem>/',
  convert: (r) => {
    const vid = videoStem(r.video);
    const box = r.instance.track.map((p) => p.box);
    const frames = r.instance.track.map((p) => `frames/${vid}/${String(p.frame).padStart(6, '0')}.jpg`);
    // VideoREG's answer template is "{object_description}." — a caption's own full stop would double it.
    const description = withoutTrailing(r.instance.caption, '.').trim();
    const problem = boxesProblem(box, 0, 1, 1) ?? (!description ? 'the object description is empty' : box.length !== frames.length ? 'boxes and frames differ in number' : undefined);
    if (problem) return { skip: `Elysium: ${problem}` };
    return {
      line: {
        source: 'imove-studio',
        id: r.id,
        vid,
        metadata: {
          video: r.video,
          task: r.task === 'spatial_grounding' ? 'VideoREC' : 'VideoREG',
          frame_index: r.instance.track.map((p) => p.frame),
          t: r.instance.track.map((p) => p.t),
        },
        frames,
        object_class: r.instance.category,
        box,
        object_description: description,
        frame_size: [r.video_meta.width, r.video_meta.height],
      },
    };
  },
});

/**
 * Source: RenShuhuai-Andy/TimeChat `docs/DATA.md` ("The datum schema": `{video, QA: [{q, a}],
 * source}`, times as "start - end seconds") and `video_instruct_dataset.py`, which prepends its own
 * `<Video>…</Video>` tokens to the first `q` — so `q` carries no `<video>` placeholder.
 */
const timechat = define({
  id: 'timechat',
  label: 'TimeChat',
  unsupported: {
    spatial_grounding: 'TimeChat has no box task: it answers in times and text, never coordinates',
    dynamic_captioning: 'TimeChat has no box input: this question points at the instance by its box',
  },
  defaults: { time: 'sec_1dp' },
  container: 'json',
  convert: (r) => {
    if (r.render.time !== 'sec_1dp') return { skip: `TimeChat reads times as "start - end seconds" (sec_1dp); this export renders ${r.render.time}` };
    const q = withoutVideoTag(withoutBoxHint(r.conversations[0].value, r.instance.category)).trim();
    if (count(q, new RegExp(BOX_TEXT, 'g'))) return { skip: 'TimeChat has no box input: the (edited) question still gives a box' };
    return { line: { video: r.video, QA: [{ q, a: r.conversations[1].value }], source: 'imove-studio' } };
  },
});

/**
 * Source: huangb23/VTimeLLM `docs/data.md` (`{source, id, conversations, meta: {duration, token}}`,
 * `<s0>`/`<e0>` in the text) and `vtimellm/train/dataset.py`, which replaces every key of
 * `meta.token` by `min(round(t / duration * 100), 99)` as two digits and loads `{feat_folder}/{id}.npy`
 * — so `id` is the video's stem, shared by all its lines. The span in the answer becomes
 * "from <s0> to <e0>"; VTimeLLM's loader, not ours, turns it into the relative index.
 */
const vtimellm = define({
  id: 'vtimellm',
  label: 'VTimeLLM',
  unsupported: {
    spatial_grounding: 'VTimeLLM has no box task: it answers in times and text, never coordinates',
    dynamic_captioning: 'VTimeLLM has no box input: this question points at the instance by its box',
  },
  defaults: { time: 'rel_00_99' },
  container: 'json',
  stemKeyed: 'VTimeLLM loads its features from <stem>.npy',
  convert: (r) => {
    const spanRe = SPAN_TEXT[r.render.time];
    if (!spanRe) return { skip: `VTimeLLM: the span is rendered as ${r.render.time}, which cannot be turned into <s0>/<e0> tokens` };
    const human = withoutBoxHint(r.conversations[0].value, r.instance.category);
    if (count(human, new RegExp(BOX_TEXT, 'g'))) return { skip: 'VTimeLLM has no box input: the (edited) question still gives a box' };
    const answer = r.conversations[1].value;
    const spans = count(answer, spanRe);
    if (spans !== 1) return { skip: `VTimeLLM: the answer should state the span once, found ${spans} times` };
    const { start, end } = r.instance.span;
    const duration = r.video_meta.duration;
    if (!(start >= 0 && end > start && end <= duration + 1e-6)) return { skip: `VTimeLLM: span ${start}–${end} s is not inside 0–${duration} s` };
    return {
      line: {
        source: 'imove-studio',
        id: videoStem(r.video),
        conversations: [
          { from: 'human', value: human },
          { from: 'gpt', value: answer.replace(spanRe, 'from <s0> to <e0>') },
        ],
        meta: { duration, token: { '<s0>': start, '<e0>': end } },
      },
    };
  },
});

/**
 * Source: DAMO-NLP-SG VideoRefer (now alibaba-damo-academy/PixelRefer) `training.md` ("video
 * referring (multi-frame-mask)": `{id, video, conversations, annotation: [{"<frame_idx>":
 * {segmentation}} per object]}`) and `videorefer/train.py`, which reads `height`/`width`, takes the
 * frames to decode from the annotation keys, and turns each `segmentation` into a mask with
 * pycocotools (a `null` one becomes an empty mask). So the box is written as a pixel polygon
 * (the loader then masks exactly the box) and also as `bbox` in COCO's `[x, y, w, h]` pixels, the
 * convention of the segmentation it sits beside; the loader ignores `bbox`.
 * One `<region>` in the question per object in `annotation`, in order (the loader pairs them so).
 */
const videorefer = define({
  id: 'videorefer',
  label: 'VideoRefer-700K',
  unsupported: {
    spatial_grounding: 'VideoRefer has no box output: regions are inputs, answers are text',
    temporal_grounding: 'VideoRefer keys each region by its frame index, which would give away the start of the span the question asks for',
  },
  defaults: {},
  container: 'json',
  convert: (r) => {
    const { width, height } = r.video_meta;
    const human = r.conversations[0].value.replace(new RegExp(`${BOX_TEXT}(?: \\(first sampled frame\\))?`, 'g'), '<region>');
    const boxes = r.instance.track.map((p) => [round1(p.box[0]! * width), round1(p.box[1]! * height), round1(p.box[2]! * width), round1(p.box[3]! * height)]);
    const annotation = [Object.fromEntries(r.instance.track.map((p, i) => {
      const [x1, y1, x2, y2] = boxes[i]!;
      return [String(p.frame), { segmentation: [[x1, y1, x2, y1, x2, y2, x1, y2]], bbox: [x1, y1, round1(x2! - x1!), round1(y2! - y1!)] }];
    }))];
    const problem = validateVideoRefer(human, annotation) ?? boxesProblem(boxes, 0, width, height);
    if (problem) return { skip: `VideoRefer: ${problem}` };
    return { line: { id: r.id, video: r.video, conversations: [{ from: 'human', value: human }, { from: 'gpt', value: r.conversations[1].value }], annotation, height, width } };
  },
});

/** The question must carry exactly one `<region>` per annotated object, and every object a frame. */
export function validateVideoRefer(question: string, annotation: Array<Record<string, unknown>>): string | undefined {
  const regions = count(question, /<region>/g);
  if (regions !== annotation.length) return `the question has ${regions} <region> placeholders for ${annotation.length} object${annotation.length === 1 ? '' : 's'} in annotation`;
  const empty = annotation.findIndex((o) => !Object.keys(o).length);
  if (empty >= 0) return `object ${empty} has no annotated frame`;
  return undefined;
}

export const PROFILES: Record<ProfileId, ExportProfile> = { imove, llava, elysium, timechat, vtimellm, videorefer };

export const PROFILE_IDS = Object.keys(PROFILES) as ProfileId[];
