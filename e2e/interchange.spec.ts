import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openVideo } from './support';

/** Curated tracks leave in another tool's format and come back in through "Open files…" unchanged. */
const SYNTHETIC = '/?video=/demo/synthetic.mp4&proposals=/demo/synthetic.proposals.json';
const video = readFileSync(path.join(import.meta.dirname, '..', 'public', 'demo', 'synthetic.mp4'));
const LABEL = { mot: 'MOTChallenge', cvat: 'CVAT for video', labelstudio: 'Label Studio', youtubevis: 'YouTube-VIS' } as const;

test('export the tracks as MOT, CVAT, Label Studio and YouTube-VIS; open each with the video: the same boxes', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  const boxesOf = () =>
    page.evaluate(() => {
      const m = window.studio.metrics();
      return Object.fromEntries(m.trackIds().map((id) => [id, m.trackBoxes(id)]));
    });
  const original = await boxesOf();
  for (const format of ['mot', 'cvat', 'labelstudio', 'youtubevis'] as const) {
    const files = (await page.evaluate((f) => window.studio.perform('tracks.export', { format: f, download: false }), format)) as Array<{ name: string; text: string }>;
    // The video is named as the dataset names it, not by this browser's absolute URL.
    if (format === 'labelstudio') expect((JSON.parse(files[0]!.text) as Array<{ data: { video: string } }>)[0]!.data.video).not.toMatch(/^https?:/);
    await page.locator('.topbar input[type=file]').setInputFiles([
      { name: 'synthetic.mp4', mimeType: 'video/mp4', buffer: video },
      ...files.map((f) => ({ name: f.name, mimeType: 'text/plain', buffer: Buffer.from(f.text) })),
    ]);
    await page.waitForFunction((name) => {
      const s = window.studio.state() as unknown as { datasetUrl: string | null; frameCount: number; overlayFrame: number; frame: number };
      return !!s.datasetUrl?.endsWith(`|${name}`) && s.frameCount > 0 && s.overlayFrame === s.frame;
    }, files[0]!.name);
    await expect(page.getByRole('status')).toContainText(`Imported from ${LABEL[format]}`);
    const back = await boxesOf();
    expect(Object.keys(back).length, format).toBe(Object.keys(original).length);
    // Ids survive every format here (they are numeric); compare what each track shows on every frame.
    const problems: string[] = [];
    for (const [id, boxes] of Object.entries(original)) {
      boxes!.forEach((b, f) => {
        const g = back[id]?.[f] ?? null;
        if ((b === null) !== (g === null)) problems.push(`#${id} frame ${f}: ${JSON.stringify(b)} became ${JSON.stringify(g)}`);
        else if (b && g && b.some((v, k) => Math.abs(v - g[k]!) >= 0.05)) problems.push(`#${id} frame ${f}: ${JSON.stringify(b)} became ${JSON.stringify(g)}`);
      });
    }
    expect(problems.slice(0, 5), format).toEqual([]);
  }
});

test('a local file never touches a dataset video of the same name, and a broken one changes nothing', async ({ page }) => {
  await page.goto('/?manifest=demo/manifest.json');
  await page.locator('[data-video="synthetic"]').click();
  await page.waitForFunction(() => window.studio.state().videoId === 'synthetic' && window.studio.state().overlayFrame >= 0);
  const demoSpans = (await page.evaluate(() => window.studio.state().spans)).length;
  expect(demoSpans).toBeGreaterThan(0);
  for (const f of (await page.evaluate(() => window.studio.state().flags)).filter((x) => !x.dismissed)) {
    await page.evaluate((id) => window.studio.perform('flag.dismiss', { flagId: id, reason: 'checked' }), f.id);
  }
  await page.evaluate(() => window.studio.perform('video.submit'));
  const files = (await page.evaluate(() => window.studio.perform('tracks.export', { format: 'cvat', download: false }))) as Array<{ name: string; text: string }>;
  const xml = files[0]!.text;
  const input = page.locator('.topbar input[type=file]');

  // A truncated file: a clear error, and the dataset (with the submitted video) is still there.
  await input.setInputFiles([
    { name: 'synthetic.mp4', mimeType: 'video/mp4', buffer: video },
    { name: 'broken.cvat.xml', mimeType: 'application/xml', buffer: Buffer.from(xml.slice(0, Math.floor(xml.length / 2))) },
  ]);
  await expect(page.getByRole('alert')).toContainText(/broken\.cvat\.xml line \d+/);
  const after = await page.evaluate(() => window.studio.state());
  expect(after.view).toBe('dataset');
  expect(after.datasetUrl).toMatch(/demo\/manifest\.json$/);
  await expect(page.locator('[data-video="synthetic"] .chip')).toHaveText('submitted');

  // The same video file with good tracks: its own annotation (the file's tracks, no spans), editable.
  await input.setInputFiles([
    { name: 'synthetic.mp4', mimeType: 'video/mp4', buffer: video },
    { name: 'synthetic.cvat.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) },
  ]);
  await page.waitForFunction(() => {
    const s = window.studio.state();
    return !!s.datasetUrl?.startsWith('local:') && s.frameCount > 0 && s.overlayFrame === s.frame;
  });
  const local = await page.evaluate(() => window.studio.state());
  expect(local.videoId).not.toBe('synthetic');
  expect(local.spans).toHaveLength(0);
  expect(local.status).toBe('in_progress');
  await page.evaluate(() => window.studio.perform('box.nudgeRight', { trackId: '1' }));
  expect((await page.evaluate(() => window.studio.state())).notice ?? '').not.toContain('read-only');
  const nudged = (await page.evaluate(() => window.studio.state())).tracks.find((t) => t.id === '1')!.box;

  // The address no longer names the demo, so a reload reopens these local files, the edit kept.
  await expect.poll(() => new URL(page.url()).searchParams.has('manifest')).toBe(false);
  await page.evaluate(() => window.studio.saved());
  await page.reload();
  await page.waitForFunction((id) => window.studio?.state().videoId === id && window.studio.state().overlayFrame >= 0, local.videoId);
  expect((await page.evaluate(() => window.studio.state())).tracks.find((t) => t.id === '1')!.box).toEqual(nudged);

  // Back in the demo: the submitted video is as it was.
  await page.goto('/?manifest=demo/manifest.json');
  await page.locator('[data-video="synthetic"]').click();
  await page.waitForFunction(() => window.studio.state().videoId === 'synthetic' && window.studio.state().overlayFrame >= 0);
  const demo = await page.evaluate(() => window.studio.state());
  expect(demo.status).toBe('submitted');
  expect(demo.spans).toHaveLength(demoSpans);
});

test('proposals made at twice the resolution are scaled to the video file, and the notice says so', async ({ page }) => {
  await page.goto('/?manifest=demo/manifest.json');
  await page.waitForSelector('[data-video="synthetic"]');
  const proposals = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'public', 'demo', 'synthetic.proposals.json'), 'utf8')) as {
    video: { width: number; height: number };
    instances: Array<{ id: string; track: { start_frame: number; boxes: Array<number[] | null> } }>;
  };
  const big = structuredClone(proposals);
  big.video.width *= 2;
  big.video.height *= 2;
  for (const i of big.instances) i.track.boxes = i.track.boxes.map((b) => b && b.map((v) => v * 2));
  await page.locator('.topbar input[type=file]').setInputFiles([
    { name: 'synthetic.mp4', mimeType: 'video/mp4', buffer: video },
    { name: 'synthetic.1280.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(big)) },
  ]);
  await page.waitForFunction(() => {
    const s = window.studio.state();
    return !!s.datasetUrl?.startsWith('local:') && s.frameCount > 0 && s.overlayFrame === s.frame && s.frame === 0;
  });
  await expect(page.getByRole('status')).toContainText('The proposals are for 1280×720, the video file is 640×360: boxes scaled to it (×0.5).');
  const tracks = (await page.evaluate(() => window.studio.state())).tracks;
  for (const inst of proposals.instances.filter((i) => i.track.start_frame === 0 && i.track.boxes[0])) {
    const got = tracks.find((t) => t.id === inst.id)!.box!;
    inst.track.boxes[0]!.forEach((v, k) => expect(Math.abs(got[k]! - v), `#${inst.id}`).toBeLessThan(0.01));
  }
});
