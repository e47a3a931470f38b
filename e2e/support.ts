import { expect, type Page } from '@playwright/test';
import { decodeFrameIndex, FRAME_CODE } from './fixtures/frameCode';

/** What `window.studio.state()` returns (DESIGN §8), as far as these tests read it. */
export interface StudioSnapshot {
  view: 'dataset' | 'video';
  datasetUrl: string | null;
  videoId: string | null;
  frame: number;
  overlayFrame: number;
  frameCount: number;
  fps: number;
  timestamps: number[];
  playing: boolean;
  status: string | null;
  error: string | null;
  selectedTrackId: string | null;
  tracks: Array<{ id: string; category: string; source: string; box: number[] | null; outside: boolean; occluded: boolean }>;
  spans: Array<{ id: string; trackId: string; start: number; end: number; caption: string; captionSource: string; modelCaption: string }>;
  flags: Array<{ id: string; kind: string; spanId: string; trackId: string; message: string; dismissed: boolean }>;
  selectedSpanId: string | null;
  loop: { start: number; end: number } | null;
  notice: string | null;
  boundaries: number[];
  encoder: {
    model: string;
    provider: 'wasm' | 'webgpu' | null;
    reason: string | null;
    threads: number;
    progress: { label: string; done: number; total: number } | null;
    busy: string | null;
    embedded: number;
    computed: number;
    msPerFrame: number | null;
    error: string | null;
    sceneRelative: boolean;
    camera: boolean;
    lastRetrack: { trackId: string; from: number; to: number; stoppedAt: number | null; reason: string; confidence: number } | null;
  };
}

declare global {
  interface Window {
    studio: {
      seek(frame: number): Promise<number>;
      state(): StudioSnapshot;
      actions(): Array<{ id: string; label: string; shortcut: string | null }>;
      perform(id: string, args?: unknown): Promise<unknown>;
      saved(): Promise<void>;
      metrics(): {
        overlayPaintMs: number[];
        storeBytes: number;
        trackBoxes(id: string): Array<number[] | null> | null;
        trackIds(): string[];
        encodeFrame(frame: number, opts?: { features?: boolean }): Promise<{ embedding: number[]; features: { dims: number[]; data: number[] } | null; ms: number; provider: string | null }>;
        cameraPath(): { x: number[]; y: number[] } | null;
      };
    };
  }
}

export const state = (page: Page) => page.evaluate(() => window.studio.state());

/** Open a URL of the app and wait until a video is open and its first frame and overlay are drawn. */
export async function openVideo(page: Page, query: string): Promise<StudioSnapshot> {
  await page.goto(query);
  await page.waitForFunction(() => {
    const s = window.studio?.state();
    return !!s && (!!s.error || (s.frameCount > 0 && s.overlayFrame === s.frame));
  });
  const s = await state(page);
  expect(s.error).toBeNull();
  return s;
}

/** The index the picture carries in its pixels (the canvas backing store is at natural size). */
export async function readPictureCode(page: Page): Promise<number | null> {
  const strip = await page.evaluate((rows) => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid="video"]')!;
    const h = Math.min(c.height, Math.ceil(rows * (c.width / 40)) + 2);
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, h).data;
    let bin = '';
    for (let i = 0; i < d.length; i++) bin += String.fromCharCode(d[i]!);
    return { w: c.width, h, b64: btoa(bin) };
  }, FRAME_CODE.backing.h);
  const bytes = Buffer.from(strip.b64, 'base64');
  return decodeFrameIndex(new Uint8Array(bytes), strip.w, strip.h);
}

/** Seeded PRNG (mulberry32) so a failure names frames that can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Wait until the encoder has loaded its model (the provider is known) and is idle. */
export async function encoderReady(page: Page, model?: string): Promise<StudioSnapshot['encoder']> {
  if (model) await page.evaluate((m) => window.studio.perform('encoder.model', m), model);
  await page.waitForFunction((m) => {
    const e = window.studio.state().encoder;
    return (!m || e.model === m) && (e.provider !== null || e.error !== null) && e.busy === null;
  }, model ?? null);
  const e = (await state(page)).encoder;
  expect(e.error).toBeNull();
  return e;
}

export function iou(a: readonly number[], b: readonly number[]): number {
  const w = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const h = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const i = w * h;
  return i / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - i);
}

/** A key of the app's IndexedDB store as saved on disk (not as held in memory). */
export function savedKey<T>(page: Page, key: string): Promise<T | undefined> {
  return page.evaluate(
    (k) =>
      new Promise<T | undefined>((resolve, reject) => {
        const open = indexedDB.open('imove-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('kv').objectStore('kv').get(k);
          get.onsuccess = () => resolve(get.result as T | undefined);
          get.onerror = () => reject(get.error);
        };
      }),
    key,
  );
}
