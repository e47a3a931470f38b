import { boxAt, KEY_OCCLUDED, KEY_OUTSIDE, sourceOf, visibleRanges } from '../model/keyframes';
import type { KeyframeTable, Span } from '../model/types';
import { trackColor } from './colors';
import { frameToX, type LaneView } from './laneGeometry';

const BAR_H = 12;
const SOURCE_COLORS = { model: '#9aa4b2', human: '#ffd24a', assisted: '#5ad1ff' } as const;

/**
 * One instance's lane: where it is visible, its score, its proposal spans and its keyframes,
 * drawn on a canvas (a DOM node per keyframe would not survive dense tracks).
 */
/** Vertical layout of a lane: the span strip is tall enough to grab its edges. */
export const SPAN_STRIP = { top: 17, height: 8 };

export function paintLane(
  ctx: CanvasRenderingContext2D,
  trackId: string,
  keys: KeyframeTable,
  spans: readonly Span[],
  view: LaneView,
  frameCount: number,
  height: number,
  selectedSpanId: string | null = null,
  fps = 30,
): void {
  const { width } = view;
  ctx.clearRect(0, 0, width, height);
  const color = trackColor(trackId);
  const pxPerFrame = width / Math.max(1, view.end - view.start);
  // Visibility bar.
  ctx.fillStyle = color;
  ctx.globalAlpha = 0.35;
  for (const [a, b] of visibleRanges(keys, frameCount)) {
    if (b < view.start || a >= view.end) continue;
    const x0 = frameToX(view, a);
    const x1 = frameToX(view, b + 1);
    ctx.fillRect(x0, 2, Math.max(1, x1 - x0), BAR_H);
  }
  // Occluded stretches: darker, so they read as "there but hidden".
  ctx.globalAlpha = 0.55;
  ctx.fillStyle = '#000';
  for (let i = lowerBound(keys.frames, view.start); i < keys.frames.length && keys.frames[i]! < view.end; i++) {
    const fl = keys.flags[i]!;
    if (!(fl & KEY_OCCLUDED) || fl & KEY_OUTSIDE) continue;
    const x0 = frameToX(view, keys.frames[i]!);
    const x1 = frameToX(view, i + 1 < keys.frames.length ? keys.frames[i + 1]! : frameCount);
    ctx.fillRect(x0, 2, Math.max(1, x1 - x0), BAR_H);
  }
  ctx.globalAlpha = 1;
  // Score as a line across the visibility bar (top = 1).
  const { frames, scores, flags } = keys;
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  let pen = false;
  const barH = BAR_H - 2;
  const first = lowerBound(frames, view.start);
  const stride = Math.max(1, Math.floor(1 / pxPerFrame));
  for (let i = first; i < frames.length && frames[i]! < view.end; i += stride) {
    const s = scores[i]!;
    if (Number.isNaN(s) || flags[i]! & KEY_OUTSIDE) {
      pen = false;
      continue;
    }
    const x = frameToX(view, frames[i]! + 0.5);
    const y = 3 + (1 - Math.max(0, Math.min(1, s))) * barH;
    if (pen) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    pen = true;
  }
  ctx.stroke();
  // Keyframes: people's and assisted ones always; the model's only when there is room.
  for (let i = first; i < frames.length && frames[i]! < view.end; i++) {
    const f = flags[i]!;
    const src = sourceOf(f);
    if (src === 'model' && pxPerFrame < 4 && !(f & KEY_OUTSIDE)) continue;
    const x = frameToX(view, frames[i]!);
    ctx.fillStyle = f & KEY_OUTSIDE ? '#ff5a5a' : SOURCE_COLORS[src];
    if (src === 'model') ctx.fillRect(Math.round(x), BAR_H + 2, Math.max(1, Math.min(3, pxPerFrame - 1)), 2);
    else {
      // People's and assisted keys: a diamond across the whole lane, visible at any zoom.
      const cx = Math.round(x + Math.min(pxPerFrame, 6) / 2);
      ctx.beginPath();
      ctx.moveTo(cx, 1);
      ctx.lineTo(cx + 4, (BAR_H + 4) / 2);
      ctx.lineTo(cx, BAR_H + 4);
      ctx.lineTo(cx - 4, (BAR_H + 4) / 2);
      ctx.closePath();
      ctx.fill();
    }
  }
  paintSpeed(ctx, keys, view, fps, color);
  // Spans, under the bar: the model's grey, edited captions yellow, the selected one outlined.
  for (const sp of spans) {
    if (sp.end < view.start || sp.start >= view.end) continue;
    const x0 = frameToX(view, sp.start);
    const x1 = frameToX(view, sp.end + 1);
    ctx.fillStyle = sp.captionSource === 'human' ? '#ffd24a' : '#d8d8d8';
    ctx.fillRect(x0 + 1, SPAN_STRIP.top, Math.max(2, x1 - x0 - 2), SPAN_STRIP.height);
    if (sp.id === selectedSpanId) {
      ctx.strokeStyle = '#4aa3ff';
      ctx.lineWidth = 2;
      ctx.strokeRect(x0 + 1, SPAN_STRIP.top - 1, Math.max(2, x1 - x0 - 2), SPAN_STRIP.height + 2);
    }
  }
}

/** Under the span strip: the box centre's speed (box sizes per second), one sample per pixel column. */
export const SPARK = { top: 27, height: 5 };
function paintSpeed(ctx: CanvasRenderingContext2D, keys: KeyframeTable, view: LaneView, fps: number, color: string): void {
  const cols = Math.max(1, Math.floor(view.width));
  const span = view.end - view.start;
  ctx.strokeStyle = color;
  ctx.globalAlpha = 0.9;
  ctx.lineWidth = 1;
  ctx.beginPath();
  let pen = false;
  for (let x = 0; x < cols; x += 2) {
    const f = Math.floor(view.start + (x / cols) * span);
    const a = boxAt(keys, f);
    const b = boxAt(keys, f + 1);
    if (!a || !b) {
      pen = false;
      continue;
    }
    const size = Math.sqrt(Math.max(1, (a.box[2] - a.box[0]) * (a.box[3] - a.box[1])));
    const v = (Math.hypot((b.box[0] + b.box[2] - a.box[0] - a.box[2]) / 2, (b.box[1] + b.box[3] - a.box[1] - a.box[3]) / 2) / size) * fps;
    // 0 … 3 box sizes per second fills the sparkline's height.
    const y = SPARK.top + SPARK.height - Math.min(1, v / 3) * SPARK.height;
    if (pen) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    pen = true;
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function lowerBound(a: Int32Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m]! < v) lo = m + 1;
    else hi = m;
  }
  return Math.max(0, lo - 1);
}
