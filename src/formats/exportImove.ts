import type { Annotation, KeyframeTable, QaReview, Track } from '../model/types';
import { clipNormBox, DEFAULT_QA_OPTIONS, generateQa, sampleFrames, type QaOptions, type QaPair } from '../tasks/generate';
import { editProblem, renderingMismatch } from '../tasks/reviewEdits';

/**
 * The canonical iMOVE-IT record (DESIGN §7): one JSON line per approved QA pair, numbers kept as
 * numbers (boxes normalised to [0, 1], times in seconds), text rendered through the chosen profile.
 * Records are produced one at a time (a generator) so an export of 100,000 pairs never builds one
 * giant string; every record is validated and a skipped one is reported with its reason.
 */
export type ReviewState = QaReview;

export interface ExportInput {
  annotation: Annotation;
  keysOf: (t: Track) => KeyframeTable;
  timestamps: ArrayLike<number>;
  duration: number;
  reviews: Record<string, ReviewState>;
}

export interface Skipped {
  id: string;
  reason: string;
}

const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

/** Problems that make a record unfit for training, or [] when it is fine. */
export function validateRecord(r: ImoveRecord): string[] {
  const out: string[] = [];
  const { start, end } = r.instance.span;
  if (!(start >= 0) || !(end > start) || end > r.video_meta.duration + 1e-6) out.push(`span ${start}–${end} s is not inside the video (0–${r.video_meta.duration} s)`);
  r.instance.track.forEach((p, i) => {
    const [x1, y1, x2, y2] = p.box;
    if (p.box.length !== 4 || !p.box.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)) out.push(`track[${i}].box ${JSON.stringify(p.box)} is not inside [0, 1]`);
    else if (!(x2! > x1! && y2! > y1!)) out.push(`track[${i}].box ${JSON.stringify(p.box)} is not [x1, y1, x2, y2] with x1 < x2, y1 < y2`);
    if (p.t < start - 1e-6 || p.t > end + 1e-6) out.push(`track[${i}] at ${p.t} s lies outside the span`);
  });
  if (!r.instance.track.length) out.push('no box over the span');
  const human = r.conversations[0]?.value ?? '';
  const videoTags = (human.match(/<video>/g) ?? []).length;
  if (videoTags !== 1) out.push(`the question has ${videoTags} <video> placeholders, expected 1`);
  if (!r.conversations[1]?.value.trim()) out.push('the answer is empty');
  if (!r.instance.caption.trim()) out.push('the caption is empty');
  return out;
}

export interface ImoveRecord {
  id: string;
  task: QaPair['task'];
  video: string;
  video_meta: { duration: number; fps: number; width: number; height: number };
  instance: {
    id: string;
    category: string;
    span: { start: number; end: number };
    track: Array<{ t: number; frame: number; box: number[] }>;
    caption: string;
  };
  render: { time: QaOptions['time']; box: QaOptions['box']; frames: number };
  provenance: { captioner?: string; review: { status: 'approved'; edited: string[] } };
  conversations: [{ from: 'human'; value: string }, { from: 'gpt'; value: string }];
}

/** Approved, current pairs as records, in a stable order; `skipped` collects the rest with reasons. */
export function* imoveRecords(input: ExportInput, opts: QaOptions, skipped: Skipped[]): Generator<ImoveRecord> {
  const a = input.annotation;
  const { width, height, fps } = a.video;
  const t0 = Number(input.timestamps[0] ?? 0);
  const time = (f: number) => round(Number(input.timestamps[Math.max(0, Math.min(input.timestamps.length - 1, f))] ?? 0) - t0);
  const endTime = (f: number) => (f + 1 < input.timestamps.length ? time(f + 1) : round(input.duration));
  for (const qa of generateQa(a, input.keysOf, { timestamps: input.timestamps, duration: input.duration }, opts)) {
    const review = input.reviews[qa.id];
    if (!review || review.status !== 'approved') {
      skipped.push({ id: qa.id, reason: review ? `not approved (${review.status})` : 'not reviewed' });
      continue;
    }
    if (review.fingerprint !== qa.fingerprint) {
      skipped.push({ id: qa.id, reason: 'its span, track or caption changed after approval: review it again' });
      continue;
    }
    const mismatch = review.edited?.length ? renderingMismatch(qa.task, review.edited, { ...DEFAULT_QA_OPTIONS, ...(review.render as Partial<QaOptions> | undefined) }, opts) : null;
    if (mismatch) {
      skipped.push({ id: qa.id, reason: mismatch });
      continue;
    }
    const span = a.spans.find((s) => s.id === qa.spanId)!;
    // Edits saved before numbers were locked may still change them: the text would contradict the record.
    const changed = (review.edited ?? []).filter((f) => review[f] !== undefined && editProblem(qa.task, f, qa[f], review[f]!, span.caption));
    if (changed.length) {
      skipped.push({ id: qa.id, reason: `the reviewer's edited ${changed.join(' and ')} changes the annotation's times or boxes: review it again` });
      continue;
    }
    const track = a.tracks.find((t) => t.id === qa.trackId)!;
    const keys = input.keysOf(track);
    const samples = sampleFrames(keys, span.start, span.end, opts.frames, a.video);
    const record: ImoveRecord = {
      id: qa.id,
      task: qa.task,
      video: a.video.src,
      video_meta: { duration: round(input.duration), fps: round(fps), width, height },
      instance: {
        id: track.id,
        category: track.category,
        span: { start: time(span.start), end: endTime(span.end) },
        track: samples.map((s) => ({ t: time(s.frame), frame: s.frame, box: clipNormBox(s.box, width, height) })),
        caption: span.caption.trim(),
      },
      render: { time: opts.time, box: opts.box, frames: opts.frames },
      provenance: { ...(span.captioner ? { captioner: span.captioner } : {}), review: { status: 'approved', edited: [...(review.edited ?? [])].sort() } },
      conversations: [
        { from: 'human', value: review.question ?? qa.question },
        { from: 'gpt', value: review.answer ?? qa.answer },
      ],
    };
    const problems = validateRecord(record);
    if (problems.length) {
      skipped.push({ id: qa.id, reason: problems.join('; ') });
      continue;
    }
    yield record;
  }
}

/** JSONL lines (each ending in \n), one per record: what a streamed download writes. */
export function* jsonlLines(records: Iterable<unknown>): Generator<string> {
  for (const r of records) yield `${JSON.stringify(r)}\n`;
}
