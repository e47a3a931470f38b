import { boxAt } from '../model/keyframes';
import { motionVector, trajectory, type MotionVector } from '../model/motion';
import type { Box, KeyframeTable, Track } from '../model/types';
import type { Layers } from '../store/studioStore';
import { trackColor } from './colors';

export interface OverlayScene {
  tracks: readonly Track[];
  frame: number;
  fps: number;
  layers: Layers;
  selectedTrackId: string | null;
  /** Display pixels per video pixel: strokes and text keep a constant on-screen size. */
  scale: number;
  /** The keys a track shows (corrections applied). */
  keysOf: (t: Track) => KeyframeTable;
  /** The second instance chosen for merge/swap. */
  pairTrackId?: string | null;
  /** A box being dragged or drawn: shown instead of the track's own. */
  preview?: { trackId: string | null; box: Box } | null;
  /** Scene position per frame (the camera estimate): when given, arrows show motion relative to the scene. */
  camera?: { x: Float32Array; y: Float32Array } | null;
}

const ARROW_SECONDS = 0.5;
const TRAIL_SECONDS = 1;
/** Arrows shorter than this (screen px) are stretched so slow motion still shows. */
const MIN_ARROW_PX = 28;
const MAX_ARROW_GAIN = 8;

/**
 * Draws every visible instance at `frame` in one pass on a 2D context in video-pixel coordinates.
 * One canvas pass instead of one Konva node per box keeps 1,000 tracks cheap.
 */
export function paintOverlay(ctx: CanvasRenderingContext2D, scene: OverlayScene): void {
  const { tracks, frame, layers, selectedTrackId } = scene;
  const px = 1 / scene.scale;
  const arrowWindow = Math.max(1, Math.round(scene.fps * ARROW_SECONDS));
  const trailWindow = Math.max(1, Math.round(scene.fps * TRAIL_SECONDS));
  ctx.save();
  ctx.lineJoin = 'round';
  ctx.font = `${12 * px}px ${LABEL_FONT}`;
  ctx.textBaseline = 'bottom';
  const preview = scene.preview;
  for (const t of tracks) {
    const keys = scene.keysOf(t);
    const st = boxAt(keys, frame);
    const dragged = preview && preview.trackId === t.id ? preview.box : null;
    if (!st && !dragged) continue;
    const color = trackColor(t.id);
    const selected = t.id === selectedTrackId;
    const paired = t.id === scene.pairTrackId;
    const occluded = st?.occluded ?? false;
    const [x1, y1, x2, y2] = dragged ?? st!.box;
    if (layers.trails) drawTrail(ctx, keys, frame, trailWindow, color, px);
    if (layers.boxes) {
      ctx.strokeStyle = color;
      ctx.lineWidth = (selected || paired ? 3 : 1.5) * px;
      ctx.setLineDash(occluded ? [6 * px, 4 * px] : paired ? [2 * px, 2 * px] : []);
      ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
      if (selected) {
        ctx.fillStyle = color;
        ctx.globalAlpha = 0.12;
        ctx.fillRect(x1, y1, x2 - x1, y2 - y1);
        ctx.globalAlpha = 1;
        drawHandles(ctx, [x1, y1, x2, y2], color, px);
      }
    }
    if (layers.arrows) {
      const mv = sceneRelative(motionVector(keys, frame, arrowWindow), frame, scene.camera);
      if (mv && (mv.dx !== 0 || mv.dy !== 0)) {
        const len = Math.hypot(mv.dx, mv.dy) * scene.scale;
        const gain = len > 0.5 ? Math.min(MAX_ARROW_GAIN, Math.max(1, MIN_ARROW_PX / len)) : 0;
        if (gain > 0) drawArrow(ctx, (x1 + x2) / 2, (y1 + y2) / 2, mv.dx * gain, mv.dy * gain, color, px);
      }
    }
    if (layers.labels) {
      const text = `${t.category} #${t.id}${occluded ? ' (occluded)' : ''}${st?.isKey && st.source !== 'model' ? ` · ${st.source} key` : ''}`;
      const w = labelWidth(ctx, text) * px + 6 * px;
      const h = 15 * px;
      const ly = y1 - h < 0 ? y1 + h : y1;
      ctx.fillStyle = color;
      ctx.fillRect(x1, ly - h, w, h);
      ctx.fillStyle = '#000';
      ctx.fillText(text, x1 + 3 * px, ly - 2 * px);
    }
  }
  if (preview && preview.trackId === null) {
    // A new instance being drawn.
    const [x1, y1, x2, y2] = preview.box;
    ctx.setLineDash([4 * px, 3 * px]);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 2 * px;
    ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
  }
  ctx.restore();
}

/** A static point of the scene moves with the camera estimate: take that out of the box's motion. */
function sceneRelative(mv: MotionVector | null, frame: number, camera: OverlayScene['camera']): MotionVector | null {
  if (!mv || !camera || mv.frames === 0) return mv;
  const to = Math.min(camera.x.length - 1, frame + mv.frames);
  if (frame >= camera.x.length) return mv;
  return { dx: mv.dx - (camera.x[to]! - camera.x[frame]!), dy: mv.dy - (camera.y[to]! - camera.y[frame]!), frames: mv.frames };
}

// measureText is the dearest call of a 1,000-box frame: label widths at 1 px font size, cached.
const LABEL_FONT = 'system-ui, sans-serif';
const widths = new Map<string, number>();
function labelWidth(ctx: CanvasRenderingContext2D, text: string): number {
  let w = widths.get(text);
  if (w === undefined) {
    const font = ctx.font;
    ctx.font = `100px ${LABEL_FONT}`;
    w = ctx.measureText(text).width / 100 * 12;
    ctx.font = font;
    if (widths.size > 20_000) widths.clear();
    widths.set(text, w);
  }
  return w;
}

/** Resize handles of the selected box: corners and edge midpoints (see handleAt). */
export const HANDLE_PX = 5;
function drawHandles(ctx: CanvasRenderingContext2D, b: Box, color: string, px: number): void {
  const r = HANDLE_PX * px;
  ctx.setLineDash([]);
  ctx.fillStyle = '#fff';
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5 * px;
  for (const [x, y] of handlePoints(b)) {
    ctx.fillRect(x - r, y - r, 2 * r, 2 * r);
    ctx.strokeRect(x - r, y - r, 2 * r, 2 * r);
  }
}

export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w';
export function handlePoints(b: Box): Array<[number, number, Handle]> {
  const [x1, y1, x2, y2] = b;
  const mx = (x1 + x2) / 2;
  const my = (y1 + y2) / 2;
  return [
    [x1, y1, 'nw'],
    [mx, y1, 'n'],
    [x2, y1, 'ne'],
    [x2, my, 'e'],
    [x2, y2, 'se'],
    [mx, y2, 's'],
    [x1, y2, 'sw'],
    [x1, my, 'w'],
  ];
}

function drawArrow(ctx: CanvasRenderingContext2D, x: number, y: number, dx: number, dy: number, color: string, px: number): void {
  const ex = x + dx;
  const ey = y + dy;
  const a = Math.atan2(dy, dx);
  const head = 8 * px;
  ctx.setLineDash([]);
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 4 * px;
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(ex, ey);
  ctx.stroke();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * px;
  ctx.stroke();
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(ex, ey);
  ctx.lineTo(ex - head * Math.cos(a - 0.45), ey - head * Math.sin(a - 0.45));
  ctx.lineTo(ex - head * Math.cos(a + 0.45), ey - head * Math.sin(a + 0.45));
  ctx.closePath();
  ctx.fill();
}

function drawTrail(ctx: CanvasRenderingContext2D, keys: KeyframeTable, frame: number, window: number, color: string, px: number): void {
  const from = Math.max(0, frame - window);
  const pts = trajectory(keys, from, frame + window);
  const split = frame - from;
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5 * px;
  for (const [a, b, dash] of [
    [0, split, [] as number[]],
    [split, pts.length / 2 - 1, [3 * px, 3 * px]],
  ] as const) {
    ctx.setLineDash(dash);
    ctx.globalAlpha = dash.length ? 0.6 : 1;
    ctx.beginPath();
    let pen = false;
    for (let i = a; i <= b; i++) {
      const x = pts[i * 2]!;
      const y = pts[i * 2 + 1]!;
      if (Number.isNaN(x)) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  ctx.setLineDash([]);
}
