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
  await expect(page.locator('.encoder-bar progress')).toBeVisible({ timeout: 30_000 });
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

test('a hard cut gets a boundary within 2 frames, shown on the timeline', async ({ page }) => {
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
  // Propose spans for an instance seen from frame 10 on: one span per event, cut at the boundary.
  await perform(page, 'track.add', { category: 'thing', box: [100, 60, 160, 110], frame: 10, id: 'x' });
  await perform(page, 'track.select', { trackId: 'x' });
  await page.keyboard.press('Shift+P');
  const spans = (await state(page)).spans.filter((sp) => sp.trackId === 'x').map((sp) => [sp.start, sp.end]);
  expect(spans).toEqual([[10, near[0]! - 1], [near[0], cut.frame_count - 1]]);
  await perform(page, 'edit.undo');
  expect((await state(page)).spans.filter((sp) => sp.trackId === 'x')).toHaveLength(0);
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

test('a user brings their own encoder (.onnx + manifest); it is kept in the browser', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  await encoderReady(page);
  const root = path.join(import.meta.dirname, '..', 'public', 'models');
  const manifest = { ...JSON.parse(readFileSync(path.join(root, 'tiny-filters.json'), 'utf8')), id: 'my-filters', name: 'My filters', file: 'mine.onnx' };
  const onnx = { name: 'mine.onnx', mimeType: 'application/octet-stream', buffer: readFileSync(path.join(root, 'tiny-filters.onnx')) };
  const input = page.locator('.encoder-bar input[type="file"]');
  // A broken manifest is refused with its file, line and path; nothing is added.
  const bad = { ...manifest, input: { ...manifest.input, layout: 'CHW' } };
  await input.setInputFiles([onnx, { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad, null, 1)) }]);
  await expect(page.locator('.notice')).toContainText(/mine\.json line \d+, \$\.input\.layout/);
  await expect(page.getByLabel('Encoder model').locator('option', { hasText: 'My filters' })).toHaveCount(0);
  await input.setInputFiles([onnx, { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(manifest)) }]);
  await expect(page.getByLabel('Encoder model').locator('option', { hasText: 'My filters (yours)' })).toHaveCount(1);
  await page.waitForFunction(() => window.studio.state().encoder.model === 'my-filters' && window.studio.state().encoder.provider !== null);
  const r = await page.evaluate(() => window.studio.metrics().encodeFrame(10));
  expect(r.embedding).toHaveLength(manifest.outputs.embedding.size);
  await page.reload();
  await page.waitForFunction(() => window.studio?.state().encoder.model === 'my-filters' && window.studio.state().encoder.provider !== null);
  expect((await state(page)).encoder.error).toBeNull();
});

test('both shipped models run in the browser and give outputs of their manifests’ shapes', async ({ page }) => {
  await openVideo(page, SYNTHETIC); // 640×360
  for (const id of ['ppocr-v4-backbone', 'tiny-filters']) {
    const m = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'public', 'models', `${id}.json`), 'utf8'));
    await encoderReady(page, id);
    const r = await page.evaluate(() => window.studio.metrics().encodeFrame(10, { features: true }));
    expect(r.embedding, id).toHaveLength(m.outputs.embedding.size);
    const [n, c, h, w] = r.features!.dims;
    const k = m.input.keepAspect.multiple;
    // Long side = the manifest's width; the short side follows the video's 16:9, rounded to the multiple.
    expect([n, c, w! * m.outputs.features.stride], id).toEqual([1, m.outputs.features.channels, m.input.width]);
    expect((h! * m.outputs.features.stride) % k, id).toBe(0);
    expect(Math.abs(h! * m.outputs.features.stride - (m.input.width * 9) / 16), id).toBeLessThanOrEqual(k / 2);
    expect(r.embedding.every(Number.isFinite) && r.features!.data.every(Number.isFinite), id).toBe(true);
  }
});

test('the camera path follows a panning background, and scene-relative arrows take it out', async ({ page }) => {
  // Scene A of the cut clip: the background slides left 0.6 px a frame (36 px over frames 0–60)
  // while an ellipse crosses it. (Scene B's diagonal hatching is ambiguous to any shift estimate.)
  await openVideo(page, '/?video=/fixtures/video/cut.mp4');
  await encoderReady(page, 'tiny-filters');
  await perform(page, 'encoder.embed');
  const cam = (await page.evaluate(() => window.studio.metrics().cameraPath()))!;
  const ax = cam.x[60]! - cam.x[0]!;
  const ay = cam.y[60]! - cam.y[0]!;
  expect(ax, `scene A: x ${ax.toFixed(1)} px over 60 frames (truth −36)`).toBeLessThan(-15);
  expect(ax).toBeGreaterThan(-54);
  expect(Math.abs(ay), `scene A: y ${ay.toFixed(1)} px (truth 0)`).toBeLessThan(8);
  expect((await state(page)).encoder.camera).toBe(true);
  await page.keyboard.press('5');
  expect((await state(page)).encoder.sceneRelative).toBe(true);
  await expect(page.getByLabel('relative to scene')).toBeChecked();
});
