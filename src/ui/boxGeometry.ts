import type { Box } from '../model/types';
import { handlePoints, type Handle } from './overlayPainter';

export type Grip = Handle | 'move';

export interface Hit {
  trackId: string;
  grip: Grip;
}

/**
 * What is under the pointer (video pixels): a handle of the selected box first, then the smallest
 * box containing the point (so a small object inside a big one can still be picked).
 */
export function hitTest(boxes: ReadonlyArray<{ id: string; box: Box }>, x: number, y: number, selectedId: string | null, tolerance: number): Hit | null {
  const sel = selectedId ? boxes.find((b) => b.id === selectedId) : undefined;
  if (sel) {
    for (const [hx, hy, h] of handlePoints(sel.box)) if (Math.abs(x - hx) <= tolerance && Math.abs(y - hy) <= tolerance) return { trackId: sel.id, grip: h };
  }
  let best: { id: string; area: number } | null = null;
  for (const { id, box } of boxes) {
    const [x1, y1, x2, y2] = box;
    if (x < x1 - tolerance / 2 || x > x2 + tolerance / 2 || y < y1 - tolerance / 2 || y > y2 + tolerance / 2) continue;
    const area = (x2 - x1) * (y2 - y1);
    if (!best || area < best.area) best = { id, area };
  }
  return best ? { trackId: best.id, grip: 'move' } : null;
}

/** The box after dragging `grip` by (dx, dy); with `lockAspect` a corner keeps the box's proportions. */
export function dragBox(b: Box, grip: Grip, dx: number, dy: number, lockAspect: boolean): Box {
  let [x1, y1, x2, y2] = b;
  if (grip === 'move') return [x1 + dx, y1 + dy, x2 + dx, y2 + dy];
  if (grip.includes('w')) x1 += dx;
  if (grip.includes('e')) x2 += dx;
  if (grip.includes('n')) y1 += dy;
  if (grip.includes('s')) y2 += dy;
  if (lockAspect) {
    const w0 = b[2] - b[0];
    const h0 = b[3] - b[1];
    const corner = grip.length === 2;
    // Scale from the opposite corner (or edge), by the larger of the two stretches.
    const sx = Math.abs(x2 - x1) / w0;
    const sy = Math.abs(y2 - y1) / h0;
    const s = corner ? Math.max(sx, sy) : grip === 'n' || grip === 's' ? sy : sx;
    const w = w0 * s;
    const h = h0 * s;
    if (grip.includes('w')) x1 = x2 - w;
    else if (grip.includes('e')) x2 = x1 + w;
    else {
      const cx = (b[0] + b[2]) / 2;
      x1 = cx - w / 2;
      x2 = cx + w / 2;
    }
    if (grip.includes('n')) y1 = y2 - h;
    else if (grip.includes('s')) y2 = y1 + h;
    else {
      const cy = (b[1] + b[3]) / 2;
      y1 = cy - h / 2;
      y2 = cy + h / 2;
    }
  }
  return [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
}

export function cursorFor(grip: Grip | null): string {
  if (!grip) return 'default';
  if (grip === 'move') return 'move';
  return `${grip}-resize`;
}
