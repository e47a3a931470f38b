// Browser harness for the frame clock (e2e/video-clock.spec.ts drives it through window.harness).
// Draws through FrameClock + drawFrame onto <canvas data-testid="video"> exactly as the app does,
// and reads the frame code back from the canvas pixels right after each draw.
import { FrameClock, drawFrame, type FrameClockOptions } from '../../src/video/frameClock';
import { decodeFrameIndex } from '../fixtures/frameCode';

const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-testid="video"]')!;
const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
const status = document.getElementById('status')!;

let clock: FrameClock | null = null;
/** Every frame drawn: [index, code read back from the canvas]. */
let drawn: Array<[number, number | null]> = [];

function readCode(): number | null {
  const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return decodeFrameIndex(img.data, canvas.width, canvas.height);
}

function snapshot(): { index: number; code: number | null; playing: boolean } {
  return { index: clock?.index ?? -1, code: readCode(), playing: clock?.playing ?? false };
}

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await p;
  return { value, ms: performance.now() - t0 };
}

const harness = {
  /** Fetch src, keep the first `keepBytes` bytes (all if omitted) and open it as a Blob. */
  async openBlob(src: string, keepBytes?: number, opts?: FrameClockOptions) {
    const buf = await (await fetch(src)).arrayBuffer();
    return harness.open(new Blob([keepBytes === undefined ? buf : buf.slice(0, keepBytes)]), opts);
  },
  async open(src: string | Blob, opts?: FrameClockOptions) {
    clock?.dispose();
    clock = null;
    drawn = [];
    const t0 = performance.now();
    try {
      clock = await FrameClock.open(src, opts);
    } catch (e) {
      const err = e as Error & { kind?: string; status?: number; codec?: string };
      return { error: { name: err.name, kind: err.kind, message: err.message, status: err.status, codec: err.codec } };
    }
    const c = clock;
    c.onFrame((index, frame) => {
      drawFrame(ctx, frame, c.info.rotation);
      drawn.push([index, readCode()]);
    });
    await c.seek(0);
    const info = c.info;
    status.textContent = `${typeof src === 'string' ? src : 'blob'}: ${info.codec} ${info.width}x${info.height} ${info.frameCount} frames`;
    return {
      openMs: performance.now() - t0,
      info: { ...info, timestamps: Array.from(info.timestamps) },
    };
  },
  async seek(i: number) {
    const { value, ms } = await timed(clock!.seek(i));
    return { resolved: value, ms, ...snapshot() };
  },
  async step(d: number) {
    const { value, ms } = await timed(clock!.step(d));
    return { resolved: value, ms, ...snapshot() };
  },
  /** Fire n steps of delta without awaiting (key repeat), then await them all. */
  async burst(delta: number, n: number) {
    const ps: Promise<number>[] = [];
    for (let k = 0; k < n; k++) ps.push(clock!.step(delta));
    const values = await Promise.all(ps);
    return { values, ...snapshot() };
  },
  async playFor(ms: number, rate = 1) {
    drawn = [];
    clock!.setRate(rate);
    clock!.play();
    await new Promise((r) => setTimeout(r, ms));
    clock!.pause();
    const frames = drawn;
    drawn = [];
    clock!.setRate(1);
    return { frames, ...snapshot() };
  },
  /** Play until the clock stops by itself (end of video) or timeout. */
  async playToEnd(timeoutMs = 20000, rate = 1) {
    drawn = [];
    clock!.setRate(rate);
    clock!.play();
    const t0 = performance.now();
    while (clock!.playing && performance.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 20));
    const frames = drawn;
    drawn = [];
    clock!.setRate(1);
    return { frames, ms: performance.now() - t0, ...snapshot() };
  },
  play: () => clock!.play(),
  pause: () => clock!.pause(),
  info: () => (clock ? { ...clock.info, timestamps: Array.from(clock.info.timestamps) } : null),
  state: () => ({ ...clock!.state(), code: readCode() }),
  dispose: () => {
    clock?.dispose();
    clock = null;
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
status.textContent = 'ready';
document.body.dataset.ready = '1';
