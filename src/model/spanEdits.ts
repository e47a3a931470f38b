import { sourceOf, visibleRanges } from './keyframes';
import { EditError } from './trackEdits';
import type { Annotation, KeyframeTable, Span } from './types';

/**
 * Pure edits of spans (one instance's motion over [start, end], inclusive). Spans of one instance
 * never overlap; every edit that would make them is refused with an EditError.
 */

function spanIndex(a: Annotation, id: string): number {
  const i = a.spans.findIndex((s) => s.id === id);
  if (i < 0) throw new EditError(`no span "${id}"`);
  return i;
}

function clampFrame(a: Annotation, f: number): number {
  return Math.max(0, Math.min(a.video.frameCount - 1, Math.round(f)));
}

/** Refuse a span that is empty, outside the video or overlaps another span of its instance. */
function checkSpan(a: Annotation, s: Span, ignore: readonly string[] = []): void {
  if (!a.tracks.some((t) => t.id === s.trackId)) throw new EditError(`no instance "${s.trackId}"`);
  if (s.end < s.start) throw new EditError(`a span cannot end (${s.end}) before it starts (${s.start})`);
  if (s.start < 0 || s.end > a.video.frameCount - 1) throw new EditError(`frames ${s.start}–${s.end} are outside the video (0–${a.video.frameCount - 1})`);
  for (const o of a.spans) {
    if (o.id === s.id || ignore.includes(o.id) || o.trackId !== s.trackId) continue;
    if (o.start <= s.end && s.start <= o.end) throw new EditError(`it would overlap span ${o.start}–${o.end} of instance #${s.trackId}`);
  }
}

export function nextSpanId(a: Annotation): string {
  const ids = new Set(a.spans.map((s) => s.id));
  let n = a.spans.length + 1;
  while (ids.has(`s${n}`)) n++;
  return `s${n}`;
}

export function addSpan(a: Annotation, trackId: string, start: number, end: number, caption = '', id = nextSpanId(a)): Annotation {
  const s: Span = { id, trackId, start: clampFrame(a, Math.min(start, end)), end: clampFrame(a, Math.max(start, end)), caption, captionSource: 'human', modelCaption: '' };
  checkSpan(a, s);
  const spans = [...a.spans, s].sort((x, y) => (x.trackId === y.trackId ? x.start - y.start : 0));
  return { ...a, spans };
}

/** Move one or both edges (a move keeps the length). */
export function setSpanRange(a: Annotation, id: string, start: number, end: number): Annotation {
  const i = spanIndex(a, id);
  const s = { ...a.spans[i]!, start: clampFrame(a, start), end: clampFrame(a, end) };
  if (s.start === a.spans[i]!.start && s.end === a.spans[i]!.end) return a;
  checkSpan(a, s);
  const spans = a.spans.slice();
  spans[i] = s;
  return { ...a, spans };
}

export function moveSpan(a: Annotation, id: string, by: number): Annotation {
  const s = a.spans[spanIndex(a, id)]!;
  const len = s.end - s.start;
  const start = Math.max(0, Math.min(a.video.frameCount - 1 - len, s.start + Math.round(by)));
  return setSpanRange(a, id, start, start + len);
}

/** Split at `frame`: the first part ends at frame − 1, the second starts at it; both keep the caption. */
export function splitSpan(a: Annotation, id: string, frame: number, newId = nextSpanId(a)): Annotation {
  const i = spanIndex(a, id);
  const s = a.spans[i]!;
  if (frame <= s.start || frame > s.end) throw new EditError(`frame ${frame} is not inside span ${s.start}–${s.end} (after its first frame)`);
  const spans = a.spans.slice();
  spans.splice(i, 1, { ...s, end: frame - 1 }, { ...s, id: newId, start: frame });
  return { ...a, spans };
}

/** Merge a span with the next span of its instance; captions are joined. */
export function mergeWithNext(a: Annotation, id: string): Annotation {
  const s = a.spans[spanIndex(a, id)]!;
  const next = a.spans.filter((o) => o.trackId === s.trackId && o.start > s.end).sort((x, y) => x.start - y.start)[0];
  if (!next) throw new EditError(`span ${s.start}–${s.end} has no later span on instance #${s.trackId} to merge with`);
  const join = (x: string, y: string) => [x.trim(), y.trim()].filter(Boolean).join(' ');
  const merged: Span = {
    ...s,
    end: next.end,
    caption: join(s.caption, next.caption),
    modelCaption: join(s.modelCaption, next.modelCaption),
    captionSource: s.captionSource === 'human' || next.captionSource === 'human' ? 'human' : 'model',
  };
  return { ...a, spans: a.spans.filter((o) => o.id !== next.id).map((o) => (o.id === id ? merged : o)) };
}

export function deleteSpan(a: Annotation, id: string): Annotation {
  spanIndex(a, id);
  return { ...a, spans: a.spans.filter((s) => s.id !== id) };
}

/** Set a caption; it becomes the person's (the model's original stays for the diff). */
export function setCaption(a: Annotation, id: string, caption: string): Annotation {
  const i = spanIndex(a, id);
  const s = a.spans[i]!;
  if (s.caption === caption) return a;
  const spans = a.spans.slice();
  spans[i] = { ...s, caption, captionSource: caption === s.modelCaption && s.modelCaption !== '' ? 'model' : 'human' };
  return { ...a, spans };
}

/** The candidate frame nearest to `frame` within `radius`, else `frame`. */
export function snapFrame(frame: number, candidates: readonly number[], radius: number): number {
  let best = frame;
  let dist = radius + 1;
  for (const c of candidates) {
    const d = Math.abs(c - frame);
    if (d < dist) {
      dist = d;
      best = c;
    }
  }
  return best;
}

/**
 * Frames a span edge snaps to: where the instance appears or disappears, people's keyframes, and
 * suggested event boundaries (a boundary b starts an event, so a span before it ends at b − 1).
 */
export function spanSnapFrames(keys: KeyframeTable, frameCount: number, boundaries: readonly number[] = []): number[] {
  const out: number[] = [];
  for (const [a, b] of visibleRanges(keys, frameCount)) out.push(a, b);
  // People's keys only: an assisted stretch has a key on every frame and would snap everywhere.
  for (let i = 0; i < keys.frames.length; i++) if (sourceOf(keys.flags[i]!) === 'human') out.push(keys.frames[i]!);
  for (const b of boundaries) out.push(b, b - 1);
  return out;
}
