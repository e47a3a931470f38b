import { FrameClock } from '../video/frameClock';
import { studio } from './studioStore';

/**
 * Binds the frame clock to the store. When a decoded frame arrives, the picture, the store's
 * frame and the overlay are all updated in the same task, so what is shown always agrees.
 */
type PicturePainter = (frame: VideoFrame) => void;
type OverlayPainter = (index: number) => void;

let clock: FrameClock | null = null;
let picture: PicturePainter | null = null;
let overlay: OverlayPainter | null = null;
let unsubscribe: Array<() => void> = [];

/** Recent overlay paint durations (ms), for the benchmark. */
const overlayTimes: number[] = [];
export function overlayPaintTimes(): number[] {
  return overlayTimes.slice();
}

function paintOverlayTimed(index: number): void {
  if (!overlay) return;
  const t0 = performance.now();
  overlay(index);
  overlayTimes.push(performance.now() - t0);
  if (overlayTimes.length > 2000) overlayTimes.splice(0, 1000);
  studio.setState({ overlayFrame: index });
}

// The frame on the picture, kept so a picture painter installed after it arrived (the stage mounts
// in the same tick as the first decode) can still show it.
let lastFrame: VideoFrame | null = null;

export function setPicturePainter(p: PicturePainter | null): void {
  picture = p;
  if (p && lastFrame) p(lastFrame);
}

export function setOverlayPainter(p: OverlayPainter | null): void {
  overlay = p;
}

/** Redraw the overlay for the current frame (after an edit, a layer toggle or a resize). */
export function repaintOverlay(): void {
  // Until the clock has shown a frame there is nothing to draw for: `overlayFrame` must not claim one.
  if (!clock || clock.index < 0) return;
  paintOverlayTimed(studio.getState().frame);
}

export function currentClock(): FrameClock | null {
  return clock;
}

export function attachClock(c: FrameClock): void {
  detachClock();
  clock = c;
  unsubscribe = [
    c.onFrame((index, frame) => {
      lastFrame?.close();
      lastFrame = frame.clone();
      picture?.(frame);
      studio.setState({ frame: index });
      paintOverlayTimed(index);
      const loop = studio.getState().loop;
      if (loop && c.playing && (index >= loop.end || index < loop.start)) void restartLoop(c, loop.start);
    }),
    c.onState(() => {
      if (clock === c) studio.setState({ playing: c.playing, rate: c.rate });
    }),
  ];
}

async function restartLoop(c: FrameClock, start: number): Promise<void> {
  c.pause();
  await c.seek(start);
  if (clock === c && studio.getState().loop) c.play();
}

export function detachClock(): void {
  for (const u of unsubscribe) u();
  unsubscribe = [];
  clock?.dispose();
  clock = null;
  lastFrame?.close();
  lastFrame = null;
  studio.setState({ playing: false });
}

function clamp(i: number): number {
  const n = studio.getState().video?.frameCount ?? 0;
  if (!Number.isFinite(i)) return 0;
  return Math.max(0, Math.min(n - 1, Math.round(i)));
}

/** Resolves once `index` is on the picture and the overlay has been drawn for it. */
export async function seek(index: number): Promise<number> {
  if (!clock) throw new Error('no video is open');
  const target = clamp(index);
  if (clock.playing) clock.pause();
  const shown = await clock.seek(target);
  const s = studio.getState();
  if (s.overlayFrame !== s.frame) repaintOverlay();
  return shown;
}

export async function step(delta: number): Promise<number> {
  if (!clock) throw new Error('no video is open');
  if (clock.playing) clock.pause();
  return clock.step(delta);
}

export function togglePlay(): void {
  clock?.toggle();
}

export function setRate(rate: number): void {
  clock?.setRate(rate);
}
