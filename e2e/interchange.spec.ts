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
