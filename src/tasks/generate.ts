import { boxAt } from '../model/keyframes';
import type { Annotation, Box, KeyframeTable, Span, Track } from '../model/types';
import { renderBox, renderInstant, renderSpan, withoutTrailing, type BoxRender, type TimeRender } from './render';

/**
 * QA pairs for the three mutually supervising tasks of iMOVE-IT (DESIGN §1, §4), made from one
 * curated (track, span, caption): spatial grounding (caption + span → boxes), temporal grounding
 * (caption, and the first box, → span), dynamic captioning (boxes + span → caption). Phrasings are
 * picked by a hash of the record id, so the same annotation always gives the same text.
 */
export type QaTask = 'spatial_grounding' | 'temporal_grounding' | 'dynamic_captioning';

export interface QaPair {
  id: string;
  task: QaTask;
  spanId: string;
  trackId: string;
  question: string;
  answer: string;
  /** Of the span, track stretch and caption it was made from: an edit there changes it. */
  fingerprint: string;
}

export interface QaOptions {
  time: TimeRender;
  box: BoxRender;
  /** Boxes sampled over the span for spatial grounding and captioning. */
  frames: number;
}

export const DEFAULT_QA_OPTIONS: QaOptions = { time: 'sec_1dp', box: 'int100', frames: 8 };

const PHRASINGS: Record<QaTask, string[]> = {
  spatial_grounding: [
    'Where is the {category} described as "{caption}" {during}? Give its box at each sampled time.',
    'Track the {category} that matches "{caption}" {during}: list its bounding boxes.',
    '{During}, locate the instance described by "{caption}" in every sampled frame.',
  ],
  temporal_grounding: [
    'When does this happen: "{caption}"?{box}',
    'Find the time span in which {caption_lc}{box}',
    'Give the start and end of the moment described as "{caption}"{box}',
  ],
  dynamic_captioning: [
    'Describe what the {category} at {boxes} does {during}.',
    'How does the {category} in {boxes} move {during}?',
    '{During}, the {category} starts at {first}. Describe its motion.',
  ],
};

/** The caption as the middle of a sentence ("…in which the dog runs."): lower-case start, one full stop. */
export function captionInSentence(caption: string): string {
  return caption.charAt(0).toLowerCase() + withoutTrailing(caption.slice(1), '.!?') + '.';
}

/** FNV-1a, 32-bit, as 8 hex digits: stable across runs and browsers. */
export function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}

/** Frames spread evenly over [start, end] where the instance is shown (at most n). */
export function sampleFrames(keys: KeyframeTable, start: number, end: number, n: number, size?: { width: number; height: number }): Array<{ frame: number; box: Box }> {
  const shown: number[] = [];
  for (let f = start; f <= end; f++) {
    const b = boxAt(keys, f);
    // A box wholly off the picture (a tracker running on after the instance left) locates nothing.
    if (b && (!size || onPicture(clipNormBox(b.box, size.width, size.height)))) shown.push(f);
  }
  if (!shown.length) return [];
  const k = Math.min(n, shown.length);
  const picks = k === 1 ? [shown[0]!] : Array.from({ length: k }, (_, i) => shown[Math.round((i * (shown.length - 1)) / (k - 1))]!);
  return [...new Set(picks)].map((frame) => ({ frame, box: boxAt(keys, frame)!.box }));
}

/**
 * A pixel box normalised to the frame, clipped to it and kept to 3 decimals, as exports write it:
 * trackers run boxes past the edge as an instance leaves, and the part outside is not its location.
 */
export function clipNormBox(b: readonly number[], width: number, height: number): number[] {
  return [b[0]! / width, b[1]! / height, b[2]! / width, b[3]! / height].map((v) => Math.round(Math.max(0, Math.min(1, v)) * 1000) / 1000);
}

const onPicture = (b: number[]) => b[2]! > b[0]! && b[3]! > b[1]!;

export interface VideoTiming {
  /** Presentation time of each frame, seconds. */
  timestamps: ArrayLike<number>;
  duration: number;
}

/** The fingerprint of what a span's pairs are made from. */
export function spanFingerprint(span: Span, track: Track, keys: KeyframeTable): string {
  const boxes: number[] = [];
  for (let f = span.start; f <= span.end; f++) {
    const b = boxAt(keys, f);
    if (b) for (const v of b.box) boxes.push(Math.round(v * 10));
    else boxes.push(-1);
  }
  return hash(JSON.stringify([span.start, span.end, span.caption, track.category, boxes]));
}

export function generateQa(a: Annotation, keysOf: (t: Track) => KeyframeTable, timing: VideoTiming, opts: QaOptions = DEFAULT_QA_OPTIONS): QaPair[] {
  const { width, height } = a.video;
  const norm = (b: Box) => [b[0] / width, b[1] / height, b[2] / width, b[3] / height];
  const time = (f: number) => Number(timing.timestamps[Math.max(0, Math.min(timing.timestamps.length - 1, f))] ?? 0) - Number(timing.timestamps[0] ?? 0);
  const out: QaPair[] = [];
  for (const span of [...a.spans].sort((p, q) => p.start - q.start || (p.id < q.id ? -1 : p.id > q.id ? 1 : 0))) {
    const track = a.tracks.find((t) => t.id === span.trackId);
    const caption = span.caption.trim();
    if (!track || !caption) continue;
    const keys = keysOf(track);
    const samples = sampleFrames(keys, span.start, span.end, opts.frames, a.video);
    if (!samples.length) continue;
    const endFrame = Math.min(span.end + 1, timing.timestamps.length - 1);
    const spanText = renderSpan(time(span.start), span.end + 1 < timing.timestamps.length ? time(endFrame) : timing.duration, timing.duration, [span.start, span.end], opts.time);
    const boxList = samples.map((s) => `${renderInstant(time(s.frame), timing.duration, s.frame, opts.time)}: ${renderBox(norm(s.box), opts.box)}`);
    const first = renderBox(norm(samples[0]!.box), opts.box);
    const vars: Record<string, string> = {
      category: track.category,
      caption,
      caption_lc: captionInSentence(caption),
      span: spanText,
      // "during 1.0 - 3.0 seconds", but "from 10 to 40" and "from frame 3 to frame 9": the renderings that
      // already carry their preposition must not get a second one.
      during: opts.time === 'sec_1dp' ? `during ${spanText}` : opts.time === 'frame' ? `from ${spanText}` : spanText,
      During: opts.time === 'sec_1dp' ? `During ${spanText}` : opts.time === 'frame' ? `From ${spanText}` : spanText.charAt(0).toUpperCase() + spanText.slice(1),
      boxes: `${first} (first sampled frame)`,
      first,
      box: ` The ${track.category} is at ${first} when it begins.`,
    };
    const fingerprint = spanFingerprint(span, track, keys);
    const base = `${a.video.id}_i${track.id}_s${span.id}`;
    const tasks: Array<[QaTask, string, string]> = [
      ['spatial_grounding', 'sg', boxList.join('; ')],
      ['temporal_grounding', 'tg', spanText],
      ['dynamic_captioning', 'dc', caption],
    ];
    for (const [task, suffix, answer] of tasks) {
      const id = `${base}_${suffix}`;
      const options = PHRASINGS[task];
      const template = options[parseInt(hash(id), 16) % options.length]!;
      out.push({ id, task, spanId: span.id, trackId: track.id, question: `<video>\n${fill(template, vars)}`, answer, fingerprint });
    }
  }
  return out;
}
