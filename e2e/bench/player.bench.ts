import { test } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { openVideo, readPictureCode, rng } from '../support';
import { quantile, record } from './record';
import { generatedProposals, serveGenerated } from './generate';

const pub = path.join(import.meta.dirname, '..', '..', 'public');
const fixtureDir = path.join(pub, 'fixtures', 'video');

test('seek exactness and latency per fixture', async ({ page }) => {
  for (const f of readdirSync(fixtureDir).filter((x) => x.endsWith('.frames.json'))) {
    const truth = JSON.parse(readFileSync(path.join(fixtureDir, f), 'utf8')) as { file: string; frames: Array<{ code: number }> };
    const name = truth.file.replace(/\.[^.]+$/, '');
    await openVideo(page, `/?video=/fixtures/video/${truth.file}`);
    const random = rng(42);
    const times: number[] = [];
    let exact = 0;
    const n = 50;
    for (let i = 0; i < n; i++) {
      const target = Math.floor(random() * truth.frames.length);
      times.push(
        await page.evaluate(async (t) => {
          const t0 = performance.now();
          await window.studio.seek(t);
          return performance.now() - t0;
        }, target),
      );
      if ((await readPictureCode(page)) === truth.frames[target]!.code) exact++;
    }
    record({ [`seek.exact_rate.${name}`]: exact / n, [`seek.p50_ms.${name}`]: quantile(times, 0.5), [`seek.p95_ms.${name}`]: quantile(times, 0.95) });
  }
});

test('step latency', async ({ page }) => {
  await openVideo(page, '/?video=/demo/synthetic.mp4&proposals=/demo/synthetic.proposals.json');
  const run = (id: string, start: number) =>
    page.evaluate(
      async ({ id, start }) => {
        await window.studio.seek(start);
        const times: number[] = [];
        for (let i = 0; i < 60; i++) {
          const t0 = performance.now();
          await window.studio.perform(id);
          times.push(performance.now() - t0);
        }
        return times;
      },
      { id, start },
    );
  const fwd = await run('frame.next', 100);
  const back = await run('frame.prev', 200);
  record({
    'step.p50_ms.forward': quantile(fwd, 0.5),
    'step.p95_ms.forward': quantile(fwd, 0.95),
    'step.p50_ms.backward': quantile(back, 0.5),
    'step.p95_ms.backward': quantile(back, 0.95),
  });
});

test('overlay frame time at 10 / 100 / 1,000 tracks', async ({ page }) => {
  for (const n of [10, 100, 1000]) {
    const body = generatedProposals(n, 300);
    await page.route((u) => u.pathname === `/gen-${n}.json`, (r) => r.fulfill({ contentType: 'application/json', body }));
    await openVideo(page, `/?video=/demo/synthetic.mp4&proposals=/gen-${n}.json`);
    await page.keyboard.press('4'); // trails on: the heaviest drawing
    const times = await page.evaluate(async () => {
      const before = window.studio.metrics().overlayPaintMs.length;
      await window.studio.seek(0);
      for (let i = 0; i < 120; i++) await window.studio.perform('frame.next');
      return window.studio.metrics().overlayPaintMs.slice(before);
    });
    record({ [`overlay.frame_p50_ms.${n}`]: quantile(times, 0.5), [`overlay.frame_p95_ms.${n}`]: quantile(times, 0.95) });
  }
});

test('load time and memory for 200 tracks x 10,000 frames', async ({ page }) => {
  const body = generatedProposals(200, 10_000);
  const url = serveGenerated('gen-200x10000.json', body);
  await page.goto('/?video=/demo/synthetic.mp4');
  await page.waitForFunction(() => window.studio?.state().frameCount > 0);
  const heapBefore = await page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
  const t0 = Date.now();
  await page.goto(`/?video=/demo/synthetic.mp4&proposals=${url}`);
  await page.waitForFunction(() => window.studio?.state().tracks.length === 200, undefined, { timeout: 300_000 });
  const ms = Date.now() - t0;
  const mem = await page.evaluate(() => ({
    heap: (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize,
    store: window.studio.metrics().storeBytes,
  }));
  record({
    'load.ms.200x10000': ms,
    'load.json_mb.200x10000': Math.round(body.length / 1e5) / 10,
    'load.store_mb.200x10000': Math.round(mem.store / 1e5) / 10,
    'load.mb.200x10000': Math.round((mem.heap - heapBefore + mem.store) / 1e5) / 10,
  });
});
