// Frame clock, end to end in Chromium: for every fixture video, the frame code read back from the
// canvas pixels must equal the ffprobe sidecar's `code` for the index the clock reports — after
// random seeks, steps in both directions, key-repeat bursts and playback.
//
// Runs against e2e/harness/frameclock.html (FrameClock + drawFrame on a canvas, as the app uses
// them). The harness must be a build input (vite build.rollupOptions.input) for `vite preview`.
// HARNESS_URL overrides its path (e.g. when pointing the spec at a dev server).
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const HARNESS = process.env.HARNESS_URL ?? '/e2e/harness/frameclock.html';
const VIDEO_DIR = 'public/fixtures/video';

interface Sidecar {
  frames: Array<{ index: number; pts_time: number; code: number }>;
}
interface FixtureEntry {
  name: string;
  src: string;
  frames: string;
  codec: string;
  width: number;
  height: number;
  frame_count: number;
}
interface Snap {
  resolved: number;
  ms: number;
  index: number;
  code: number | null;
  playing: boolean;
}

const index = JSON.parse(readFileSync(`${VIDEO_DIR}/index.json`, 'utf8')) as { fixtures: FixtureEntry[] };

/** Seeded PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

async function openHarness(page: Page): Promise<void> {
  await page.goto(HARNESS);
  await page.waitForFunction(() => document.body.dataset.ready === '1');
}

for (const fx of index.fixtures) {
  test(`frame clock is frame-exact on ${fx.name}`, async ({ page }, testInfo) => {
    const side = JSON.parse(readFileSync(`${VIDEO_DIR}/${fx.frames}`, 'utf8')) as Sidecar;
    const n = side.frames.length;
    const codeAt = (i: number): number => side.frames[i]!.code;
    await openHarness(page);
    const opened = await page.evaluate((src) => window.harness.open(src), `/fixtures/video/${fx.src}`);
    expect(opened.error, JSON.stringify(opened.error)).toBeUndefined();
    const info = opened.info!;

    // Container facts. mediabunny applies the edit list like ffprobe does: no offset between
    // its timestamps and ffprobe's pts_time (checked within 1 ms, frame by frame).
    expect(info.frameCount).toBe(n);
    expect(info.width).toBe(fx.width);
    expect(info.height).toBe(fx.height);
    const offset = info.timestamps[0]! - side.frames[0]!.pts_time;
    expect(Math.abs(offset)).toBeLessThan(0.001);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(info.timestamps[i]! - side.frames[i]!.pts_time), `pts of frame ${i}`).toBeLessThan(0.001);
    }

    const check = (s: Snap, want: number, what: string): void => {
      expect(s.index, `${what}: index`).toBe(want);
      expect(s.resolved, `${what}: resolved`).toBe(want);
      expect(s.code, `${what}: code on canvas for frame ${want}`).toBe(codeAt(want));
    };
    const seek = (i: number): Promise<Snap> => page.evaluate((i) => window.harness.seek(i), i);
    const step = (d: number): Promise<Snap> => page.evaluate((d) => window.harness.step(d), d);

    // 50 seeded random seeks.
    const rand = rng(0x5eed ^ n);
    const seekMs: number[] = [];
    for (let k = 0; k < 50; k++) {
      const target = Math.floor(rand() * n);
      const s = await seek(target);
      check(s, target, `seek ${target}`);
      seekMs.push(s.ms);
    }

    // Step sequences from a few random starting frames.
    const fwdMs: number[] = [];
    const backMs: number[] = [];
    for (let k = 0; k < 4; k++) {
      let at = 10 + Math.floor(rand() * (n - 30));
      check(await seek(at), at, `seek ${at}`);
      for (let j = 0; j < 10; j++) {
        const s = await step(+1);
        at = Math.min(n - 1, at + 1);
        check(s, at, `+1 to ${at}`);
        fwdMs.push(s.ms);
      }
      for (let j = 0; j < 10; j++) {
        const s = await step(-1);
        at = Math.max(0, at - 1);
        check(s, at, `-1 to ${at}`);
        backMs.push(s.ms);
      }
      at = Math.min(n - 1, at + 10);
      check(await step(+10), at, `+10 to ${at}`);
      at = Math.max(0, at - 10);
      check(await step(-10), at, `-10 to ${at}`);

      // Play 1 s, then pause: every frame drawn during playback shows its own code, in order.
      const played = await page.evaluate(() => window.harness.playFor(1000));
      expect(played.playing).toBe(false);
      expect(played.frames.length).toBeGreaterThan(5);
      let prev = -1;
      for (const [i, code] of played.frames) {
        expect(code, `code during playback at frame ${i}`).toBe(codeAt(i));
        expect(i).toBeGreaterThan(prev);
        prev = i;
      }
      expect(played.index).toBe(prev);
      expect(played.code).toBe(codeAt(played.index));
      at = played.index;
      check({ ...(await step(+1)) }, Math.min(n - 1, at + 1), 'step after pause');
    }

    // Key repeat: 12 un-awaited steps end on the last requested frame; all promises agree.
    const start = Math.floor(n / 3);
    await seek(start);
    const burst = await page.evaluate(() => window.harness.burst(+1, 12));
    expect(burst.index).toBe(start + 12);
    expect(burst.code).toBe(codeAt(start + 12));
    expect(new Set(burst.values)).toEqual(new Set([start + 12]));
    const burstBack = await page.evaluate(() => window.harness.burst(-1, 7));
    expect(burstBack.index).toBe(start + 5);
    expect(burstBack.code).toBe(codeAt(start + 5));

    // A seek during playback wins.
    await page.evaluate(() => window.harness.play());
    await page.waitForTimeout(150);
    const during = await seek(7);
    check(during, 7, 'seek during play');
    expect(during.playing).toBe(false);

    // Clamping, and playback stops on the last frame.
    check(await seek(-5), 0, 'clamp low');
    check(await seek(n + 100), n - 1, 'clamp high');
    await seek(n - 8);
    const end = await page.evaluate(() => window.harness.playToEnd(10000));
    expect(end.playing).toBe(false);
    expect(end.index).toBe(n - 1);
    expect(end.code).toBe(codeAt(n - 1));

    const numbers = {
      [`seek.p50_ms.${fx.name}`]: pct(seekMs, 50),
      [`seek.p95_ms.${fx.name}`]: pct(seekMs, 95),
      [`step.p95_ms.forward.${fx.name}`]: pct(fwdMs, 95),
      [`step.p95_ms.back.${fx.name}`]: pct(backMs, 95),
      [`open.ms.${fx.name}`]: opened.openMs!,
    };
    console.log(JSON.stringify(numbers));
    await testInfo.attach('timings', { body: JSON.stringify(numbers, null, 2), contentType: 'application/json' });
  });
}

test('frame clock reports clear errors', async ({ page, context }) => {
  // Vite's servers answer unknown paths with index.html (200), so make a real 404 here.
  await context.route('**/missing/*.mp4', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await openHarness(page);
  const missing = await page.evaluate(() => window.harness.open('/missing/video.mp4'));
  expect(missing.error?.kind, JSON.stringify(missing.error)).toBe('http');
  expect(missing.error?.status).toBe(404);

  const notVideo = await page.evaluate(() => window.harness.open('/fixtures/video/index.json'));
  expect(notVideo.error?.kind).toBe('unreadable');
  expect(notVideo.error?.message).toMatch(/container|unreadable/);

  const truncated = await page.evaluate(() => window.harness.openBlob('/fixtures/video/h264-bframes.mp4', 20000));
  expect(truncated.error?.kind, JSON.stringify(truncated.error)).toBe('unreadable');

  // A Blob (local file) opens like a URL.
  const blob = await page.evaluate(() => window.harness.openBlob('/fixtures/video/vp9.webm'));
  expect(blob.error).toBeUndefined();
  expect(blob.info?.frameCount).toBe(120);
});
