import { boxAt } from './keyframes';
import type { KeyframeTable } from './types';

/** What an instance does over a span, measured from its boxes (DESIGN §4 "Motion summary"). */
export type Direction8 = 'right' | 'down-right' | 'down' | 'down-left' | 'left' | 'up-left' | 'up' | 'up-right';
export type PathShape = 'still' | 'straight' | 'turning' | 'back-and-forth';
export type ScaleChange = 'approaching' | 'receding' | 'steady';

export interface MotionSummary {
  /** Frames of the span where the instance is shown. */
  visibleFrames: number;
  /** Net displacement of the box centre, in video pixels (y grows downwards). */
  dx: number;
  dy: number;
  /** Net displacement in box sizes (the mean of √(w·h) over the span). */
  netBoxes: number;
  /** Null when the instance does not go anywhere. */
  direction: Direction8 | null;
  /** Path length of the centre per second, in box sizes. */
  speedBoxesPerS: number;
  speed: 'still' | 'slow' | 'moderate' | 'fast';
  /** Box area at the end over the start (medians of the first and last few frames). */
  scaleRatio: number;
  scale: ScaleChange;
  shape: PathShape;
  /** e.g. "moves right, fast, approaching". */
  text: string;
}

const DIRECTIONS: Direction8[] = ['right', 'down-right', 'down', 'down-left', 'left', 'up-left', 'up', 'up-right'];
/** Below this net displacement (in box sizes) an instance has not gone anywhere. */
const STILL_NET = 0.25;
const APPROACH = 1.25;

export function direction8(dx: number, dy: number): Direction8 {
  const a = Math.atan2(dy, dx); // y down: positive angles turn clockwise on screen
  const i = Math.round(a / (Math.PI / 4));
  return DIRECTIONS[(i + 8) % 8]!;
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Summarise the motion of the shown boxes between `start` and `end` (inclusive). Null if never shown. */
export function summarizeMotion(keys: KeyframeTable, start: number, end: number, fps: number): MotionSummary | null {
  const cx: number[] = [];
  const cy: number[] = [];
  const size: number[] = [];
  const area: number[] = [];
  for (let f = start; f <= end; f++) {
    const st = boxAt(keys, f);
    if (!st) continue;
    const [x1, y1, x2, y2] = st.box;
    cx.push((x1 + x2) / 2);
    cy.push((y1 + y2) / 2);
    const a = Math.max(1e-6, (x2 - x1) * (y2 - y1));
    area.push(a);
    size.push(Math.sqrt(a));
  }
  const n = cx.length;
  if (n === 0) return null;
  const k = Math.max(1, Math.min(5, Math.floor(n / 4)));
  // Ends are medians of a few frames: one jittery box must not decide the direction.
  const x0 = median(cx.slice(0, k));
  const y0 = median(cy.slice(0, k));
  const x1 = median(cx.slice(-k));
  const y1 = median(cy.slice(-k));
  const dx = x1 - x0;
  const dy = y1 - y0;
  const box = size.reduce((s, v) => s + v, 0) / n;
  const netBoxes = Math.hypot(dx, dy) / box;
  // Path length on a lightly smoothed centre (jitter would otherwise look like motion).
  const step = Math.max(1, Math.round(fps / 10));
  let path = 0;
  let px = cx[0]!;
  let py = cy[0]!;
  const headings: Array<[number, number]> = [];
  for (let i = step; i < n; i += step) {
    const sx = median(cx.slice(Math.max(0, i - 1), i + 2));
    const sy = median(cy.slice(Math.max(0, i - 1), i + 2));
    const d = Math.hypot(sx - px, sy - py);
    path += d;
    if (d > 0.02 * box * step) headings.push([sx - px, sy - py]);
    px = sx;
    py = sy;
  }
  const seconds = Math.max(1 / fps, (n - 1) / fps);
  const pathBoxes = path / box;
  const speedBoxesPerS = Math.max(netBoxes, pathBoxes) / seconds;
  const scaleRatio = median(area.slice(-k)) / median(area.slice(0, k));
  const scale: ScaleChange = scaleRatio >= APPROACH ? 'approaching' : scaleRatio <= 1 / APPROACH ? 'receding' : 'steady';
  const moving = netBoxes >= STILL_NET;
  const shape = pathShape(netBoxes, pathBoxes, headings);
  const speed = shape === 'still' ? 'still' : speedBoxesPerS < 0.5 ? 'slow' : speedBoxesPerS < 2 ? 'moderate' : 'fast';
  const direction = moving ? direction8(dx, dy) : null;
  const parts: string[] = [];
  if (shape === 'still') parts.push(scale === 'steady' ? 'stays still' : 'stays in place');
  else if (shape === 'back-and-forth') parts.push('moves back and forth');
  else if (direction) parts.push(`moves ${direction}${shape === 'turning' ? ', turning' : ''}`);
  else parts.push('moves around');
  if (shape !== 'still') parts.push(speed);
  if (scale !== 'steady') parts.push(scale);
  return { visibleFrames: n, dx, dy, netBoxes, direction, speedBoxesPerS, speed, scaleRatio, scale, shape, text: parts.join(', ') };
}

function pathShape(netBoxes: number, pathBoxes: number, headings: Array<[number, number]>): PathShape {
  if (pathBoxes < 0.4 && netBoxes < STILL_NET) return 'still';
  // Reversals along the main axis of travel.
  const [ax, ay] = principalAxis(headings);
  let reversals = 0;
  let sign = 0;
  let run = 0;
  for (const [hx, hy] of headings) {
    const p = hx * ax + hy * ay;
    const sgn = Math.sign(p);
    if (sgn === 0) continue;
    if (sgn === sign) run++;
    else {
      if (sign !== 0 && run >= 1) reversals++;
      sign = sgn;
      run = 1;
    }
  }
  if (reversals >= 2 || (reversals >= 1 && pathBoxes > 2.5 * Math.max(netBoxes, 0.1))) return 'back-and-forth';
  if (netBoxes < STILL_NET) return pathBoxes < 0.8 ? 'still' : 'back-and-forth';
  // Turning: the heading of the first and last thirds differ by more than 45°.
  const third = Math.max(1, Math.floor(headings.length / 3));
  const a = sum(headings.slice(0, third));
  const b = sum(headings.slice(-third));
  const turn = Math.abs(angleBetween(a, b));
  return turn > Math.PI / 4 ? 'turning' : 'straight';
}

function sum(v: Array<[number, number]>): [number, number] {
  return v.reduce<[number, number]>((s, [x, y]) => [s[0] + x, s[1] + y], [0, 0]);
}

function angleBetween(a: [number, number], b: [number, number]): number {
  if (Math.hypot(...a) === 0 || Math.hypot(...b) === 0) return 0;
  return Math.atan2(a[0] * b[1] - a[1] * b[0], a[0] * b[0] + a[1] * b[1]);
}

function principalAxis(v: Array<[number, number]>): [number, number] {
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of v) {
    sxx += x * x;
    sxy += x * y;
    syy += y * y;
  }
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  return [Math.cos(theta), Math.sin(theta)];
}
