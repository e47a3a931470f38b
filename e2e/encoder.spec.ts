import { chromium, expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromiumArgs } from '../playwright.config';
import { encoderReady, iou, openVideo, state } from './support';

/** The local encoder in real Chromium: provider choice, embeddings, boundaries, re-track, camera. */
const gt = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'synthetic.gt.json'), 'utf8')) as {
  objects: Array<{ id: string; boxes: Array<number[] | null> }>;
};
const truth = (id: string, f: number) => gt.objects.find((o) => o.id === id)!.boxes[f]!;
const SYNTHETIC = '/?video=/demo/synthetic.mp4&proposals=/demo/synthetic.proposals.json';
const cut = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'public', 'fixtures', 'video', 'cut.frames.json'), 'utf8')) as { cut_frame: number; frame_count: number };

const perform = (page: Page, id: string, args?: unknown) => page.evaluate(([i, a]) => window.studio.perform(i as string, a), [id, args] as const);

test('without WebGPU the encoder runs on WASM and says why', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  const e = await encoderReady(page);
  expect(e.provider).toBe('wasm');
  expect(e.reason).toMatch(/WASM, because/);
  await expect(page.getByTestId('encoder-provider')).toContainText('WASM');
  await expect(page.getByTestId('encoder-provider')).toContainText(e.reason!);
  // Cross-origin isolated, so WASM runs with threads.
  expect(e.threads).toBeGreaterThan(1);
});

test('embedding shows progress, cancels, resumes from the cache and survives a reload', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  await encoderReady(page, 'tiny-filters');
  const n = (await state(page)).frameCount;
  void perform(page, 'encoder.embed');
  await expect(page.getByRole('progressbar').or(page.locator('progress'))).toBeVisible();
  await page.waitForFunction(() => (window.studio.state().encoder.progress?.done ?? 0) >= 40);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => window.studio.state().encoder.busy === null);
  const partial = (await state(page)).encoder.embedded;
  expect(partial).toBeGreaterThanOrEqual(40);
  expect(partial).toBeLessThan(n);
  await expect(page.getByRole('button', { name: 'Resume embedding' })).toBeVisible();
  const r = (await perform(page, 'encoder.embed')) as { computed: number; embedded: number };
  expect(r.embedded).toBe(n);
  expect(r.computed).toBe(n - partial);
  await page.reload();
  await page.waitForFunction((count) => window.studio?.state().encoder.embedded === count, n);
  // Nothing is recomputed: a second run only reads the cache.
  await encoderReady(page, 'tiny-filters');
  const again = (await perform(page, 'encoder.embed')) as { computed: number };
  expect(again.computed).toBe(0);
});

test('a hard cut gets a boundary within 2 frames, shown on the timeline; spans snap to it', async ({ page }) => {
  await openVideo(page, '/?video=/fixtures/video/cut.mp4');
  await encoderReady(page, 'ppocr-v4-backbone');
  await perform(page, 'encoder.embed');
  const s = await state(page);
  expect(s.encoder.embedded).toBe(cut.frame_count);
  const near = s.boundaries.filter((b) => Math.abs(b - cut.cut_frame) <= 2);
  expect(near, `boundaries ${s.boundaries.join(',')} vs cut at ${cut.cut_frame}`).toHaveLength(1);
  // No other boundary: each scene moves smoothly.
  expect(s.boundaries).toHaveLength(1);
  await expect(page.locator('canvas.ruler')).toHaveAttribute('data-boundaries', String(near[0]));
  // The boundary is a stop for navigation.
  await page.evaluate(() => window.studio.seek(0));
  await perform(page, 'boundary.next');
  expect((await state(page)).frame).toBe(near[0]);
});

test('re-track from one corrected box follows the instance for the next second, undoable as one step', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  await encoderReady(page, 'ppocr-v4-backbone');
  const f0 = 240;
  const fps = (await state(page)).fps;
  // The dog's proposal has drifted by now; put its box right at f0, then re-track from there.
  await page.evaluate((f) => window.studio.seek(f), f0);
  await perform(page, 'box.set', { trackId: '4', frame: f0, box: truth('dog', f0) });
  await perform(page, 'track.select', { trackId: '4' });
  const before = await page.evaluate(() => window.studio.metrics().trackBoxes('4'));
  await page.keyboard.press('t');
  await page.waitForFunction(() => window.studio.state().encoder.lastRetrack !== null && window.studio.state().encoder.busy === null, null, { timeout: 90_000 });
  const r = (await state(page)).encoder.lastRetrack!;
  expect(r.trackId).toBe('4');
  expect(r.from).toBe(f0);
  const boxes = await page.evaluate(() => window.studio.metrics().trackBoxes('4'));
  const ious: number[] = [];
  for (let f = f0 + 1; f <= Math.min(f0 + fps, r.to); f++) ious.push(iou(boxes![f]!, truth('dog', f)));
  expect(ious.length).toBeGreaterThanOrEqual(fps - 1);
  const mean = ious.reduce((a, b) => a + b, 0) / ious.length;
  expect(mean, `IoU per frame ${ious.map((v) => v.toFixed(2)).join(' ')}`).toBeGreaterThanOrEqual(0.8);
  await page.evaluate((f) => window.studio.seek(f), f0 + 10);
  expect((await state(page)).tracks.find((t) => t.id === '4')!.source).toBe('assisted');
  // One undo takes the whole propagation back.
  await perform(page, 'edit.undo');
  const undone = await page.evaluate(() => window.studio.metrics().trackBoxes('4'));
  expect(undone).toEqual(before);
});

test('re-track stops when the match is lost, and says where', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  await encoderReady(page, 'tiny-filters');
  // The car drives out of view at about frame 98: re-tracking it from 85 must stop near there.
  await page.evaluate(() => window.studio.seek(85));
  await perform(page, 'track.select', { trackId: '3' });
  await perform(page, 'track.retrack', { maxFrames: 60 });
  const r = (await state(page)).encoder.lastRetrack!;
  expect(r.reason).toMatch(/confidence|left-view/);
  expect(r.to).toBeLessThan(115);
  await expect(page.locator('.notice, [role="status"]').filter({ hasText: 'Re-track forward #3' }).first()).toBeVisible();
});

test('with WebGPU (software adapter) auto still picks WASM, and forced WebGPU gives the same outputs', async () => {
  test.setTimeout(240_000);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...chromiumArgs, '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader'],
  });
  try {
    const page = await browser.newPage({ baseURL: test.info().project.use.baseURL, viewport: { width: 1400, height: 900 } });
    await openVideo(page, SYNTHETIC);
    const hasGpu = await page.evaluate(async () => !!(await (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()));
    test.skip(!hasGpu, 'this Chromium offers no WebGPU adapter even with --enable-unsafe-webgpu');
    const auto = await encoderReady(page, 'tiny-filters');
    expect(auto.provider).toBe('wasm');
    expect(auto.reason).toMatch(/software|fallback/);
    const wasm = await page.evaluate(() => window.studio.metrics().encodeFrame(120, { features: true }));
    await perform(page, 'encoder.provider', 'webgpu');
    const forced = (await state(page)).encoder;
    expect(forced.provider).toBe('webgpu');
    const gpu = await page.evaluate(() => window.studio.metrics().encodeFrame(120, { features: true }));
    expect(gpu.provider).toBe('webgpu');
    expect(gpu.embedding.length).toBe(wasm.embedding.length);
    expect(gpu.features!.dims).toEqual(wasm.features!.dims);
    const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    const scale = Math.max(...wasm.features!.data.map(Math.abs), 1e-6);
    expect(maxDiff(gpu.embedding, wasm.embedding)).toBeLessThan(1e-3 * Math.max(1, ...wasm.embedding.map(Math.abs)));
    expect(maxDiff(gpu.features!.data, wasm.features!.data)).toBeLessThan(1e-3 * scale);
  } finally {
    await browser.close();
  }
});
