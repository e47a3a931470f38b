import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openVideo, state } from './support';

/** Corrections driven as a person would: mouse on the picture, keys on the stage. */
const gt = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'synthetic.gt.json'), 'utf8')) as {
  video: { width: number };
  objects: Array<{ id: string; boxes: Array<number[] | null> }>;
};
const truth = (id: string, f: number) => gt.objects.find((o) => o.id === id)!.boxes[f]!;
const SYNTHETIC = '/?video=/demo/synthetic.mp4&proposals=/demo/synthetic.proposals.json';

function iou(a: number[], b: number[]): number {
  const w = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const h = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const i = w * h;
  return i / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - i);
}

async function boxOf(page: Page, id: string, frame: number): Promise<number[] | null> {
  await page.evaluate((f) => window.studio.seek(f), frame);
  return (await state(page)).tracks.find((t) => t.id === id)?.box ?? null;
}

/** Page coordinates of a point given in video pixels. */
async function toPage(page: Page, x: number, y: number): Promise<[number, number]> {
  const r = (await page.getByTestId('overlay').boundingBox())!;
  const s = r.width / gt.video.width;
  return [r.x + x * s, r.y + y * s];
}

async function drag(page: Page, from: [number, number], to: [number, number]) {
  const a = await toPage(page, ...from);
  const b = await toPage(page, ...to);
  await page.mouse.move(...a);
  await page.mouse.down();
  await page.mouse.move(...b, { steps: 8 });
  await page.mouse.up();
}

const centre = (b: number[]): [number, number] => [(b[0]! + b[2]!) / 2, (b[1]! + b[3]!) / 2];

test('one drag at the worst frame of a drift repairs its neighbours', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  const frames = [260, 270, 280, 290];
  const before = [];
  for (const f of frames) before.push(iou((await boxOf(page, '4', f))!, truth('dog', f)));
  const early = await boxOf(page, '4', 50);
  // The dog's box has drifted ~24 px right and ~8 px down by the last frame: drag it onto the dog.
  const box = (await boxOf(page, '4', 299))!;
  const want = truth('dog', 299);
  const c = centre(box);
  await drag(page, c, [c[0] + (want[0]! - box[0]!), c[1] + (want[1]! - box[1]!)]);
  await expect.poll(async () => (await state(page)).tracks.find((t) => t.id === '4')?.source).toBe('human');
  expect(iou((await boxOf(page, '4', 299))!, want)).toBeGreaterThan(0.9);
  for (let i = 0; i < frames.length; i++) {
    const after = iou((await boxOf(page, '4', frames[i]!))!, truth('dog', frames[i]!));
    expect(after, `frame ${frames[i]}`).toBeGreaterThan(before[i]!);
  }
  // Frames long before the drift are left alone.
  expect(await boxOf(page, '4', 50)).toEqual(early);
  // With CVAT's linear interpolation the same fix would have moved one frame only.
  await page.evaluate(() => window.studio.perform('track.interpolation', { trackId: '4', mode: 'linear' }));
  expect(iou((await boxOf(page, '4', 290))!, truth('dog', 290))).toBeCloseTo(before[3]!, 2);
  await page.keyboard.press('Control+z');
  expect(iou((await boxOf(page, '4', 290))!, truth('dog', 290))).toBeGreaterThan(before[3]!);
});

test('the identity switch at the crossing is fixed by swapping identities from there', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  // Before the fix, proposal 1 follows person_b after the crossing.
  expect(iou((await boxOf(page, '1', 220))!, truth('person_a', 220))).toBeLessThan(0.3);
  await page.evaluate(() => window.studio.seek(148));
  // Select 1 by clicking its row, Ctrl+click 2's row, then Alt+W.
  await page.locator('.lane-row[data-track="1"] .lane-label').click();
  await page.locator('.lane-row[data-track="2"] .lane-label').click({ modifiers: ['Control'] });
  await page.getByTestId('stage').focus();
  await page.keyboard.press('Alt+w');
  await expect.poll(async () => iou((await boxOf(page, '1', 220))!, truth('person_a', 220))).toBeGreaterThan(0.8);
  expect(iou((await boxOf(page, '2', 220))!, truth('person_b', 220))).toBeGreaterThan(0.8);
  expect(iou((await boxOf(page, '1', 100))!, truth('person_a', 100))).toBeGreaterThan(0.8);
});

test('keys make keyframes, outside and occluded; every edit undoes and redoes exactly', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  const snapshotAll = () =>
    page.evaluate(async () => {
      const out: unknown[] = [];
      for (const f of [0, 60, 120, 130, 150, 200, 260, 299]) {
        await window.studio.seek(f);
        out.push(window.studio.state().tracks);
      }
      return JSON.stringify(out);
    });
  const initial = await snapshotAll();
  await page.evaluate(() => window.studio.seek(120));
  // Click the ball's box to select it, then edit with keys only.
  const ball = (await state(page)).tracks.find((t) => t.id === '5')!.box!;
  const p = await toPage(page, ...centre(ball));
  await page.mouse.click(...p);
  await expect.poll(async () => (await state(page)).selectedTrackId).toBe('5');
  let edits = 0;
  const press = async (key: string) => {
    await page.keyboard.press(key);
    edits++;
  };
  await press('ArrowRight');
  await press('Shift+ArrowDown');
  expect((await state(page)).tracks.find((t) => t.id === '5')!.box).toEqual([ball[0]! + 1, ball[1]! + 10, ball[2]! + 1, ball[3]! + 10]);
  await press('q');
  expect((await state(page)).tracks.find((t) => t.id === '5')!.occluded).toBe(true);
  await page.keyboard.press('v'); // frame 130
  await expect.poll(async () => (await state(page)).frame).toBe(130);
  expect((await state(page)).tracks.find((t) => t.id === '5')!.occluded).toBe(true); // carries forward
  await press('o');
  expect((await state(page)).tracks.find((t) => t.id === '5')!.outside).toBe(true);
  await page.evaluate(() => window.studio.seek(200));
  expect((await state(page)).tracks.find((t) => t.id === '5')!.outside).toBe(true); // hidden from here on
  // Split the car, delete the phantom, add an instance by drawing.
  await page.evaluate(() => window.studio.perform('track.select', { trackId: '3' }));
  await page.evaluate(() => window.studio.seek(60));
  await press('Alt+s');
  expect((await state(page)).tracks.map((t) => t.id)).toContain('7');
  await page.evaluate(() => window.studio.perform('track.select', { trackId: '6' }));
  await press('Delete');
  expect((await state(page)).tracks.map((t) => t.id)).not.toContain('6');
  await page.keyboard.press('n');
  await drag(page, [500, 300], [560, 340]);
  edits++;
  const added = (await state(page)).tracks.find((t) => t.id === '8');
  expect(added?.source).toBe('human');
  expect(added?.box![0]).toBeCloseTo(500, -1);
  const final = await snapshotAll();
  expect(final).not.toBe(initial);
  for (let i = 0; i < edits; i++) await page.keyboard.press('Control+z');
  expect(await snapshotAll()).toBe(initial);
  await page.keyboard.press('Control+z'); // one more: nothing left
  for (let i = 0; i < edits; i++) await page.keyboard.press('Control+Shift+z');
  expect(await snapshotAll()).toBe(final);
});

test('every edit survives a renderer crash', async ({ page, context }) => {
  await openVideo(page, SYNTHETIC);
  await page.evaluate(async () => {
    await window.studio.seek(100);
    await window.studio.perform('track.select', { trackId: '4' });
    await window.studio.perform('box.set', { box: [300, 100, 380, 160] });
    await window.studio.perform('track.category', { category: 'wolf' });
    await window.studio.perform('track.select', { trackId: '6' });
    await window.studio.perform('track.delete');
  });
  await page.waitForTimeout(1000); // DESIGN §2: saved within a second
  await page.goto('chrome://crash').catch(() => undefined);
  const again = await context.newPage();
  await openVideo(again, SYNTHETIC);
  const s = await again.evaluate(async () => {
    await window.studio.seek(100);
    return window.studio.state();
  });
  const dog = s.tracks.find((t) => t.id === '4')!;
  expect(dog.category).toBe('wolf');
  expect(dog.box).toEqual([300, 100, 380, 160]);
  expect(dog.source).toBe('human');
  expect(s.tracks.map((t) => t.id)).not.toContain('6');
});

test('a storage failure is shown and offers the work as a download', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.evaluate(async () => {
    await window.studio.perform('track.select', { trackId: '1' });
    await window.studio.perform('box.nudgeRight');
  });
  const banner = page.getByRole('alert').filter({ hasText: 'Could not save' });
  await expect(banner).toContainText('QuotaExceededError');
  const download = page.waitForEvent('download');
  await banner.getByRole('button', { name: 'Download my work' }).click();
  const file = await download;
  const body = JSON.parse(readFileSync((await file.path())!, 'utf8')) as { annotation: { tracks: Array<{ id: string; humanKeyframes: unknown[] }> } };
  expect(body.annotation.tracks.find((t) => t.id === '1')!.humanKeyframes).toHaveLength(1);
});
