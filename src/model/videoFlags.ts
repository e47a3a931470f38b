import { checkCaption, type FlagKind } from './captionChecks';
import { visibleRanges } from './keyframes';
import { summarizeMotion, type MotionSummary } from './motionSummary';
import type { Annotation, KeyframeTable, Track } from './types';

/** Every check of a video's spans, with their dismissals: what stands between it and submission. */
export interface VideoFlag {
  /** Stable per (span, kind): dismissals are keyed by it. */
  id: string;
  kind: FlagKind | 'visibility' | 'overlap';
  spanId: string;
  trackId: string;
  message: string;
  dismissed: boolean;
  reason?: string;
}

export const MIN_SPAN_SECONDS = 0.5;

export function spanMotion(a: Annotation, keysOf: (t: Track) => KeyframeTable, spanId: string): MotionSummary | null {
  const s = a.spans.find((x) => x.id === spanId);
  const t = s && a.tracks.find((x) => x.id === s.trackId);
  return s && t ? summarizeMotion(keysOf(t), s.start, s.end, a.video.fps || 30) : null;
}

export function videoFlags(a: Annotation, keysOf: (t: Track) => KeyframeTable): VideoFlag[] {
  const categories = [...new Set([...a.tags.map((t) => t.category), ...a.tracks.map((t) => t.category)])];
  const minSpanFrames = Math.max(2, Math.round((a.video.fps || 30) * MIN_SPAN_SECONDS));
  const out: VideoFlag[] = [];
  for (const s of a.spans) {
    const t = a.tracks.find((x) => x.id === s.trackId);
    if (!t) continue;
    const keys = keysOf(t);
    const push = (kind: VideoFlag['kind'], message: string) => {
      const id = `${s.id}:${kind}`;
      const reason = a.dismissed?.[id];
      out.push({ id, kind, spanId: s.id, trackId: s.trackId, message, dismissed: reason !== undefined, ...(reason !== undefined ? { reason } : {}) });
    };
    const ranges = visibleRanges(keys, a.video.frameCount);
    const inside = ranges.some(([x, y]) => x <= s.start && s.end <= y);
    if (!inside) {
      const shown = ranges.reduce((n, [x, y]) => n + Math.max(0, Math.min(y, s.end) - Math.max(x, s.start) + 1), 0);
      push('visibility', `Instance #${s.trackId} is shown on ${shown} of the span's ${s.end - s.start + 1} frames.`);
    }
    // Imported proposals may overlap (edits never make overlaps): name the other span.
    const other = a.spans.find((o) => o.id !== s.id && o.trackId === s.trackId && o.start <= s.end && s.start <= o.end);
    if (other) push('overlap', `The span overlaps span ${other.start}–${other.end} of the same instance.`);
    const motion = summarizeMotion(keys, s.start, s.end, a.video.fps || 30);
    for (const f of checkCaption({ caption: s.caption, category: t.category, categories, spanFrames: s.end - s.start + 1, minSpanFrames, motion })) push(f.kind, f.message);
  }
  return out;
}

/** A video can be submitted when every flag is dismissed. */
export function blockingFlags(flags: readonly VideoFlag[]): VideoFlag[] {
  return flags.filter((f) => !f.dismissed);
}
