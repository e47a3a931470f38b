import { expect, test } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { openVideo, readPictureCode, rng, state } from './support';

/** Every frame-exactness fixture: a video whose frames carry their index, with ffprobe's truth. */
const dir = path.join(import.meta.dirname, '..', 'public', 'fixtures', 'video');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.frames.json'))
  .map((f) => {
    const truth = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { file: string; frames: Array<{ index: number; pts_time: number; code: number }> };
    return { name: truth.file, truth };
  });

test('there are frame-exactness fixtures', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(5);
});

for (const { name, truth } of fixtures) {
  test.describe(name, () => {
    test('seeks to 50 random frames and steps exactly', async ({ page }) => {
      const s0 = await openVideo(page, `/?video=/fixtures/video/${name}`);
      expect(s0.frameCount).toBe(truth.frames.length);
      // The clock's timestamps are the container's (ffprobe's), whatever the start offset.
      for (const f of truth.frames) expect(Math.abs(s0.timestamps[f.index]! - f.pts_time)).toBeLessThan(0.0015);
      const code = (i: number) => truth.frames[i]!.code;

      const random = rng(0x5eed + name.length);
      const targets = Array.from({ length: 50 }, () => Math.floor(random() * truth.frames.length));
      for (const t of targets) {
        const shown = await page.evaluate((f) => window.studio.seek(f), t);
        expect(shown, `seek(${t})`).toBe(t);
        const s = await state(page);
        expect(s.frame).toBe(t);
        expect(s.overlayFrame).toBe(t);
        expect(await readPictureCode(page), `picture at frame ${t}`).toBe(code(t));
      }

      // Step sequences with the keyboard (F/D/V/C) and through the registry.
      await page.evaluate(() => window.studio.seek(20));
      await page.getByTestId('stage').focus();
      const expectAt = async (f: number) => {
        await page.waitForFunction((x) => window.studio.state().frame === x && window.studio.state().overlayFrame === x, f);
        expect(await readPictureCode(page), `picture at frame ${f}`).toBe(code(f));
      };
      let f = 20;
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press('f');
        await expectAt(++f);
      }
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press('d');
        await expectAt(--f);
      }
      await page.keyboard.press('v');
      await expectAt((f += 10));
      await page.keyboard.press('c');
      await expectAt((f -= 10));
      await page.keyboard.press('Alt+ArrowRight');
      await expectAt(++f);
      await page.evaluate(() => window.studio.perform('frame.back10'));
      await expectAt((f -= 10));
      // Rapid key repeat ends on the last requested frame.
      for (let i = 0; i < 7; i++) await page.keyboard.press('f');
      await expectAt(f + 7);
    });

    test('picture, frame index and overlay agree during playback', async ({ page }) => {
      await openVideo(page, `/?video=/fixtures/video/${name}`);
      // Sample what is on screen at every animation frame for a second of playback.
      const samples = await page.evaluate(async () => {
        const c = document.querySelector<HTMLCanvasElement>('[data-testid="video"]')!;
        const ctx = c.getContext('2d')!;
        const h = Math.ceil(3 * (c.width / 40)) + 2;
        const out: Array<{ frame: number; overlayFrame: number; b64: string }> = [];
        await window.studio.perform('playback.toggle');
        const t0 = performance.now();
        while (performance.now() - t0 < 1200) {
          await new Promise((r) => requestAnimationFrame(r));
          const s = window.studio.state();
          const d = ctx.getImageData(0, 0, c.width, h).data;
          let bin = '';
          for (let i = 0; i < d.length; i++) bin += String.fromCharCode(d[i]!);
          out.push({ frame: s.frame, overlayFrame: s.overlayFrame, b64: btoa(bin) });
        }
        await window.studio.perform('playback.toggle');
        return { w: c.width, h, out };
      });
      const { decodeFrameIndex } = await import('./fixtures/frameCode');
      const frames = new Set<number>();
      for (const smp of samples.out) {
        expect(smp.overlayFrame).toBe(smp.frame);
        const got = decodeFrameIndex(new Uint8Array(Buffer.from(smp.b64, 'base64')), samples.w, samples.h);
        expect(got, `picture while playing at frame ${smp.frame}`).toBe(truth.frames[smp.frame]!.code);
        frames.add(smp.frame);
      }
      expect(frames.size, 'playback advanced').toBeGreaterThan(5);
      const after = await state(page);
      expect(after.playing).toBe(false);
      expect(await readPictureCode(page)).toBe(truth.frames[after.frame]!.code);
    });
  });
}
