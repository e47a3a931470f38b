import { chromium, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromiumArgs } from '../../playwright.config';
import { encoderReady, iou, openVideo } from '../support';
import { quantile, record } from './record';

const SYNTHETIC = '/?video=/demo/synthetic.mp4&proposals=/demo/synthetic.proposals.json';
const fixtures = path.join(import.meta.dirname, '..', 'fixtures');
const gt = JSON.parse(readFileSync(path.join(fixtures, 'synthetic.gt.json'), 'utf8')) as { objects: Array<{ id: string; boxes: Array<number[] | null> }> };
const truth = (id: string, f: number) => gt.objects.find((o) => o.id === id)!.boxes[f] ?? null;
const MODELS = ['ppocr-v4-backbone', 'tiny-filters'];

async function fps(page: Page, frames: number): Promise<{ fps: number; p50: number }> {
  const ms = await page.evaluate(async (n) => {
    const out: number[] = [];
    await window.studio.metrics().encodeFrame(0); // warm-up: first run compiles kernels
    for (let f = 1; f <= n; f++) out.push((await window.studio.metrics().encodeFrame(f * 7)).ms);
    return out;
  }, frames);
  const p50 = quantile(ms, 0.5);
  return { fps: Math.round((1000 / p50) * 100) / 100, p50 };
}

test('encoder: frames per second per model on WASM, and the time to embed a 300-frame clip', async ({ page }) => {
  const out: Record<string, number> = {};
  await openVideo(page, SYNTHETIC);
  for (const model of MODELS) {
    const e = await encoderReady(page, model);
    const r = await fps(page, 20);
    out[`encoder.fps.${model}.wasm`] = r.fps;
    out[`encoder.run_p50_ms.${model}.wasm`] = r.p50;
    out[`encoder.wasm_threads`] = e.threads;
    const t0 = Date.now();
    await page.evaluate(() => window.studio.perform('encoder.embed'));
    out[`encoder.embed_ms.300.${model}`] = Date.now() - t0;
  }
  record(out);
});

test('encoder: frames per second on the software WebGPU adapter (forced)', async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...chromiumArgs, '--enable-unsafe-webgpu'] });
  const out: Record<string, number> = {};
  try {
    const page = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    await openVideo(page, SYNTHETIC);
    for (const model of MODELS) {
      await encoderReady(page, model);
      await page.evaluate(() => window.studio.perform('encoder.provider', 'webgpu'));
      if ((await page.evaluate(() => window.studio.state().encoder.provider)) !== 'webgpu') continue;
      const r = await fps(page, model === 'tiny-filters' ? 10 : 3);
      out[`encoder.fps.${model}.webgpu_software`] = r.fps;
      await page.evaluate(() => window.studio.perform('encoder.provider', 'auto'));
    }
  } finally {
    await browser.close();
  }
  record(out);
});

test('re-track: mean IoU over the second after one corrected box, per instance of the synthetic clip', async ({ page }) => {
  const out: Record<string, number> = {};
  await openVideo(page, SYNTHETIC);
  const starts: Array<[string, string, number]> = [
    ['person_a', '1', 40],
    ['person_b', '2', 60],
    ['car', '3', 30],
    ['dog', '4', 240],
    ['ball', '5', 120],
  ];
  for (const model of MODELS) {
    await encoderReady(page, model);
    const all: number[] = [];
    for (const [obj, track, f0] of starts) {
      const box = truth(obj, f0)!;
      await page.evaluate(({ track, f0, box }) => window.studio.perform('box.set', { trackId: track, frame: f0, box }), { track, f0, box });
      await page.evaluate(({ track, f0 }) => window.studio.perform('track.retrack', { trackId: track, frame: f0, maxFrames: 30 }), { track, f0 });
      const boxes = await page.evaluate((t) => window.studio.metrics().trackBoxes(t), track);
      const ious: number[] = [];
      for (let f = f0 + 1; f <= f0 + 30; f++) {
        const g = truth(obj, f);
        const b = boxes![f];
        if (g) ious.push(b ? iou(b, g) : 0);
      }
      const mean = ious.reduce((a, b) => a + b, 0) / Math.max(1, ious.length);
      out[`retrack.iou_mean.${model}.${obj}`] = Math.round(mean * 1000) / 1000;
      all.push(mean);
      await page.evaluate(() => window.studio.perform('edit.undo'));
      await page.evaluate(() => window.studio.perform('edit.undo'));
    }
    out[`retrack.iou_mean.${model}`] = Math.round((all.reduce((a, b) => a + b, 0) / all.length) * 1000) / 1000;
  }
  out['retrack.iou_mean'] = out['retrack.iou_mean.ppocr-v4-backbone']!;
  record(out);
});
