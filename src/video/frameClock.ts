// FrameClock: the main-thread façade of the frame source worker. Framework-free.
//
// The clock only ever shows frames the worker tagged with their index, so the index, the
// picture and whatever the onFrame callbacks draw for that index agree by construction.
//
// Concurrency contract:
//  - every seek/step/play/pause is a new request; a frame from an older request is closed
//    and never shown;
//  - step(delta) counts from the most recently *requested* frame, so key repeat accumulates;
//  - a seek/step promise resolves with the index that is on screen once a frame of that request
//    or of a LATER one has been shown (superseded requests resolve with what ended up shown —
//    they never reject for being superseded); it rejects only on a decode/read error for the
//    latest request, or with an AbortError on dispose();
//  - seek/step while playing pauses playback first (the last requested frame ends on screen).
//  - Playback is paced with requestAnimationFrame against the frames' own timestamps × rate;
//    late frames are dropped (the newest due frame wins). If the decoder starves for more than
//    STALL_S of media time, the clock re-anchors instead of dropping everything after. At the
//    end it stops on the last frame; play() at the last frame starts again from 0.

import type { FromWorker, ToWorker, VideoErrorInfo, VideoInfo } from './protocol';
import { clampIndex } from './timestamps';

export type { VideoInfo, VideoErrorInfo } from './protocol';

export interface FrameClockOptions {
  /** Create the worker (tests, custom bundling). Default: frameSource.worker.ts as a module worker. */
  createWorker?: () => Worker;
  /** Worker-side decoded-frame cache budget in bytes (default 192 MiB, 8–240 frames). */
  cacheBytes?: number;
  /** Frames in flight during playback (default 6). */
  maxInFlight?: number;
  /**
   * Decoder hint. Hardware decoders hand out frames from a small pool; the worker's cache holds
   * decoded frames, so if a hardware decoder stalls, use 'prefer-software' or a smaller cacheBytes.
   */
  hardwareAcceleration?: 'no-preference' | 'prefer-hardware' | 'prefer-software';
}

export interface ClockState {
  /** Frame on screen (−1 before the first frame is shown). */
  index: number;
  /** Frame last requested by seek/step (equals index when idle). */
  target: number;
  playing: boolean;
  rate: number;
}

export type FrameCallback = (index: number, frame: VideoFrame) => void;

export class VideoOpenError extends Error {
  readonly kind: VideoErrorInfo['kind'];
  readonly codec: string | undefined;
  readonly status: number | undefined;
  constructor(info: VideoErrorInfo) {
    super(info.message);
    this.name = 'VideoOpenError';
    this.kind = info.kind;
    this.codec = info.codec;
    this.status = info.status;
  }
}

const STALL_S = 0.25;

interface Waiter {
  resolve: (index: number) => void;
  reject: (e: unknown) => void;
}

interface Queued {
  index: number;
  frame: VideoFrame;
  t: number;
}

function defaultWorker(): Worker {
  return new Worker(new URL('./frameSource.worker.ts', import.meta.url), { type: 'module' });
}

function abortError(): Error {
  return new DOMException('FrameClock disposed', 'AbortError');
}

export class FrameClock {
  readonly info: VideoInfo;
  private readonly worker: Worker;
  private readonly maxInFlight: number;
  private reqId = 0;
  private shown = -1;
  private current: VideoFrame | null = null;
  private pendingTarget: number | null = null;
  private waiters: Waiter[] = [];
  private frameCbs = new Set<FrameCallback>();
  private stateCbs = new Set<(s: ClockState) => void>();
  private disposed = false;
  // playback
  private isPlaying = false;
  private playRate = 1;
  private playId = -1;
  private queue: Queued[] = [];
  private ended = false;
  private anchor: { wall: number; media: number } | null = null;
  private raf = 0;

  private constructor(worker: Worker, info: VideoInfo, maxInFlight: number) {
    this.worker = worker;
    this.info = info;
    this.maxInFlight = maxInFlight;
    worker.onmessage = (ev: MessageEvent<FromWorker>) => this.onMessage(ev.data);
  }

  /** Open a video (URL — fetched with CORS — or a File/Blob). Rejects with VideoOpenError. */
  static open(src: string | Blob, opts: FrameClockOptions = {}): Promise<FrameClock> {
    const worker = (opts.createWorker ?? defaultWorker)();
    // The worker resolves relative URLs against its own script URL: resolve against the page.
    const resolved = typeof src === 'string' ? new URL(src, globalThis.location?.href).href : src;
    return new Promise<FrameClock>((resolve, reject) => {
      worker.onmessage = (ev: MessageEvent<FromWorker>) => {
        const m = ev.data;
        if (m.type === 'info') resolve(new FrameClock(worker, m.info, opts.maxInFlight ?? 6));
        else if (m.type === 'error') {
          worker.terminate();
          reject(new VideoOpenError(m.error));
        }
      };
      worker.onerror = (ev) => {
        worker.terminate();
        // No message: the worker's script did not load (typically the app was rebuilt while this page was open).
        reject(new VideoOpenError({ kind: 'unreadable', message: `frame worker failed: ${ev.message || 'its script could not be loaded; reload the page'}` }));
      };
      const msg: ToWorker = {
        type: 'open',
        src: resolved,
        cacheBytes: opts.cacheBytes,
        hardwareAcceleration: opts.hardwareAcceleration,
      };
      worker.postMessage(msg);
    });
  }

  /** Frame on screen (−1 before the first one). */
  get index(): number {
    return this.shown;
  }
  get playing(): boolean {
    return this.isPlaying;
  }
  get rate(): number {
    return this.playRate;
  }
  get frameCount(): number {
    return this.info.frameCount;
  }
  /** The frame on screen; valid until the next frame is shown (clone it to keep it). */
  get frame(): VideoFrame | null {
    return this.current;
  }
  /** Timestamp (s) of frame i. */
  time(i: number): number {
    return this.info.timestamps[clampIndex(i, this.info.frameCount)] ?? 0;
  }
  state(): ClockState {
    return { index: this.shown, target: this.pendingTarget ?? this.shown, playing: this.isPlaying, rate: this.playRate };
  }

  /** Show frame i (clamped). Resolves with the index on screen once it has been drawn. */
  seek(i: number): Promise<number> {
    if (this.disposed) return Promise.reject(abortError());
    const target = clampIndex(i, this.info.frameCount);
    if (this.isPlaying) this.stopPlayback();
    if (this.pendingTarget === null && target === this.shown) return Promise.resolve(target);
    this.pendingTarget = target;
    const requestId = ++this.reqId;
    this.post({ type: 'seek', index: target, requestId });
    this.emitState();
    return new Promise<number>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Move by delta frames from the most recently requested frame. */
  step(delta: number): Promise<number> {
    const base = this.pendingTarget ?? (this.shown < 0 ? 0 : this.shown);
    return this.seek(base + Math.round(delta));
  }

  play(): void {
    if (this.disposed || this.isPlaying) return;
    let from = this.pendingTarget ?? Math.max(0, this.shown);
    if (from >= this.info.frameCount - 1) from = 0;
    // A pending seek is superseded: its waiters resolve with the first frame playback shows.
    this.pendingTarget = null;
    this.isPlaying = true;
    this.ended = false;
    this.anchor = null;
    this.playId = ++this.reqId;
    this.post({ type: 'play', fromIndex: from, requestId: this.playId, maxInFlight: this.maxInFlight });
    this.raf = requestAnimationFrame(this.tick);
    this.emitState();
  }

  pause(): void {
    if (!this.isPlaying) return;
    this.stopPlayback();
    this.emitState();
  }

  toggle(): void {
    if (this.isPlaying) this.pause();
    else this.play();
  }

  setRate(r: number): void {
    const rate = Math.min(16, Math.max(1 / 16, Number.isFinite(r) && r > 0 ? r : 1));
    if (this.anchor) {
      const now = performance.now();
      this.anchor = { wall: now, media: this.mediaTime(now) };
    }
    this.playRate = rate;
    this.emitState();
  }

  onFrame(cb: FrameCallback): () => void {
    this.frameCbs.add(cb);
    return () => this.frameCbs.delete(cb);
  }

  onState(cb: (s: ClockState) => void): () => void {
    this.stateCbs.add(cb);
    return () => this.stateCbs.delete(cb);
  }

  dispose(): void {
    if (this.disposed) return;
    this.stopPlayback();
    this.disposed = true;
    this.reqId++;
    for (const w of this.waiters.splice(0)) w.reject(abortError());
    this.current?.close();
    this.current = null;
    this.post({ type: 'close' });
    const worker = this.worker;
    setTimeout(() => worker.terminate(), 1000);
    this.frameCbs.clear();
    this.stateCbs.clear();
  }

  // ------------------------------------------------------------ internals

  private post(msg: ToWorker): void {
    if (!this.disposed || msg.type === 'close') this.worker.postMessage(msg);
  }

  private onMessage(m: FromWorker): void {
    if (this.disposed) {
      if (m.type === 'frame') m.frame.close();
      return;
    }
    switch (m.type) {
      case 'frame':
        if (m.requestId !== this.reqId) {
          m.frame.close(); // stale: a newer request superseded it
        } else if (m.requestId === this.playId && this.isPlaying) {
          this.enqueue({ index: m.index, frame: m.frame, t: m.timestamp });
        } else {
          this.pendingTarget = null;
          this.show(m.index, m.frame);
        }
        break;
      case 'end':
        if (m.requestId === this.playId) this.ended = true;
        break;
      case 'error':
        if (m.requestId === this.reqId) {
          const err = new VideoOpenError(m.error);
          this.pendingTarget = null;
          if (this.isPlaying) this.stopPlayback();
          for (const w of this.waiters.splice(0)) w.reject(err);
          this.emitState();
        }
        break;
      case 'info':
        break;
    }
  }

  private show(index: number, frame: VideoFrame): void {
    const prev = this.current;
    this.current = frame;
    this.shown = index;
    for (const cb of this.frameCbs) {
      try {
        cb(index, frame);
      } catch (e) {
        console.error('FrameClock onFrame callback failed', e);
      }
    }
    prev?.close();
    for (const w of this.waiters.splice(0)) w.resolve(index);
    this.emitState();
  }

  private emitState(): void {
    if (this.stateCbs.size === 0) return;
    const s = this.state();
    for (const cb of this.stateCbs) cb(s);
  }

  private stopPlayback(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.isPlaying = false;
    if (this.playId === this.reqId) {
      // Cancel the stream in the worker (a new request id makes it stale).
      this.post({ type: 'pause', requestId: ++this.reqId });
    }
    this.playId = -1;
    for (const q of this.queue.splice(0)) q.frame.close();
    this.anchor = null;
  }

  private enqueue(q: Queued): void {
    const now = performance.now();
    if (!this.anchor) this.anchor = { wall: now, media: q.t };
    else if (this.queue.length === 0 && this.mediaTime(now) - q.t > STALL_S) {
      // Decoder starved: resume the clock from this frame instead of dropping everything after it.
      this.anchor = { wall: now, media: q.t };
    }
    this.queue.push(q);
  }

  private mediaTime(now: number): number {
    const a = this.anchor;
    return a ? a.media + ((now - a.wall) / 1000) * this.playRate : 0;
  }

  private ack(): void {
    this.post({ type: 'ack', requestId: this.playId });
  }

  private readonly tick = (now: number): void => {
    this.raf = 0;
    if (!this.isPlaying) return;
    if (this.anchor && this.queue.length > 0) {
      // rAF's timestamp is the frame's start; present what is due by then (+2 ms slack).
      const t = this.mediaTime(Math.max(now, performance.now())) + 0.002;
      let due = -1;
      for (let k = 0; k < this.queue.length && (this.queue[k] as Queued).t <= t; k++) due = k;
      if (due >= 0) {
        const items = this.queue.splice(0, due + 1);
        const chosen = items.pop() as Queued;
        for (const q of items) {
          q.frame.close(); // late: dropped
          this.ack();
        }
        this.show(chosen.index, chosen.frame);
        this.ack();
      }
    }
    if (this.ended && this.queue.length === 0) {
      // Stop on the last frame.
      this.isPlaying = false;
      this.playId = -1;
      this.anchor = null;
      this.emitState();
      return;
    }
    this.raf = requestAnimationFrame(this.tick);
  };
}

/**
 * Draw a frame at the video's natural (display) size: the canvas backing store is set to the
 * video's size and CSS does the fitting. `rotation` is VideoInfo.rotation (frames arrive unrotated).
 */
export function drawFrame(ctx: CanvasRenderingContext2D, frame: VideoFrame, rotation: 0 | 90 | 180 | 270 = 0): void {
  const fw = frame.displayWidth;
  const fh = frame.displayHeight;
  const swap = rotation === 90 || rotation === 270;
  const w = swap ? fh : fw;
  const h = swap ? fw : fh;
  const canvas = ctx.canvas;
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  if (rotation === 0) {
    ctx.drawImage(frame, 0, 0, w, h);
    return;
  }
  ctx.save();
  ctx.translate(w / 2, h / 2);
  ctx.rotate((rotation * Math.PI) / 180);
  ctx.drawImage(frame, -fw / 2, -fh / 2, fw, fh);
  ctx.restore();
}
