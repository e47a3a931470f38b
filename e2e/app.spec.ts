import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openVideo, readPictureCode, state } from './support';
import { generatedProposals } from './bench/generate';

const pub = path.join(import.meta.dirname, '..', 'public');
interface Proposals {
  video: { id: string; frame_count: number };
  instances: Array<{ id: string; category: string; track: { start_frame: number; boxes: Array<number[] | null> } }>;
  segments: Array<{ instance: string; start_frame: number; end_frame: number; caption: string }>;
}
const synthetic = JSON.parse(readFileSync(path.join(pub, 'demo', 'synthetic.proposals.json'), 'utf8')) as Proposals;
const manifest = JSON.parse(readFileSync(path.join(pub, 'demo', 'manifest.json'), 'utf8')) as { videos: Array<{ id: string }> };

test('the demo dataset opens, and a video opens from it with its proposals', async ({ page }) => {
  await page.goto('/');
  const rows = page.getByRole('listitem');
  await expect(rows).toHaveCount(manifest.videos.length);
  await page.locator('[data-video="synthetic"]').click();
  await page.waitForFunction(() => window.studio.state().frameCount > 0 && window.studio.state().overlayFrame === 0);
  const s = await state(page);
  expect(s.videoId).toBe('synthetic');
  expect(s.frameCount).toBe(synthetic.video.frame_count);
  expect(s.tracks.map((t) => t.id).sort()).toEqual(synthetic.instances.map((i) => i.id).sort());
  expect(s.spans).toHaveLength(synthetic.segments.length);
  await expect(page.getByTestId('video')).toBeVisible();
  await expect(page.getByTestId('overlay')).toBeVisible();
  expect(await readPictureCode(page)).toBe(0);
  // One lane per instance.
  await expect(page.locator('.lane-row')).toHaveCount(synthetic.instances.length);
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('button').click();
  await expect(page.getByRole('list', { name: 'Videos' })).toBeVisible();
  await expect(page.locator('[data-video="synthetic"] .chip')).toHaveText('in progress');
});

test('the overlay box at a frame equals the proposal, and is drawn there', async ({ page }) => {
  await openVideo(page, '/?video=/demo/synthetic.mp4&proposals=/demo/synthetic.proposals.json');
  const stage = await page.getByTestId('overlay').boundingBox();
  const video = await page.getByTestId('video').boundingBox();
  expect(stage).toEqual(video);
  for (const frame of [0, 37, 101, 150, 222, synthetic.video.frame_count - 1]) {
    await page.evaluate((f) => window.studio.seek(f), frame);
    const s = await state(page);
    expect(s.overlayFrame).toBe(frame);
    for (const inst of synthetic.instances) {
      const i = frame - inst.track.start_frame;
      const want = i >= 0 && i < inst.track.boxes.length ? inst.track.boxes[i] : null;
      const got = s.tracks.find((t) => t.id === inst.id)!;
      if (!want) expect(got.box, `track ${inst.id} at ${frame}`).toBeNull();
      else got.box!.forEach((v, k) => expect(v, `track ${inst.id} at ${frame}`).toBeCloseTo(want[k]!, 2));
    }
    // The drawn box: the overlay canvas has the track's stroke on the box's left edge.
    const visible = s.tracks.find((t) => t.box);
    if (visible) {
      const hit = await page.evaluate(
        ({ box }) => {
          const c = document.querySelector<HTMLCanvasElement>('[data-testid="overlay"] canvas')!;
          const vid = document.querySelector<HTMLCanvasElement>('[data-testid="video"]')!;
          const k = c.width / vid.width;
          const x = Math.round(box[0]! * k);
          const y = Math.round(((box[1]! + box[3]!) / 2) * k);
          const d = c.getContext('2d')!.getImageData(Math.max(0, x - 2), y, 5, 1).data;
          let alpha = 0;
          for (let i = 3; i < d.length; i += 4) alpha = Math.max(alpha, d[i]!);
          return alpha;
        },
        { box: visible.box! },
      );
      expect(hit, `box edge drawn at frame ${frame}`).toBeGreaterThan(0);
    }
  }
});

test('the timeline draws each lane where its instance is visible, and a click seeks there', async ({ page }) => {
  await openVideo(page, '/?video=/demo/synthetic.mp4&proposals=/demo/synthetic.proposals.json');
  const n = synthetic.video.frame_count;
  // Instance 3 is missed by the tracker over frames 95..194 (boxes are null there).
  const lane = page.locator('.lane-row[data-track="3"] canvas');
  const box = (await lane.boundingBox())!;
  expect(box.width).toBeGreaterThan(200);
  const columnInk = (frame: number) =>
    lane.evaluate((c: HTMLCanvasElement, x: number) => {
      const ctx = c.getContext('2d')!;
      const px = Math.round(x * (c.width / c.clientWidth));
      // The visibility bar (lane rows 2–14), above the keyframe, span and speed marks.
      const dpr = c.height / c.clientHeight;
      const d = ctx.getImageData(px, Math.round(2 * dpr), 1, Math.round(12 * dpr)).data;
      let ink = 0;
      for (let i = 3; i < d.length; i += 4) ink += d[i]!;
      return ink;
    }, ((frame + 0.5) / n) * box.width);
  expect(await columnInk(50)).toBeGreaterThan(0);
  expect(await columnInk(145)).toBe(0);
  expect(await columnInk(250)).toBeGreaterThan(0);
  // Click on the lane at frame 200: the player goes there, picture and overlay included.
  await page.mouse.click(box.x + ((200 + 0.5) / n) * box.width, box.y + box.height / 2);
  await page.waitForFunction(() => window.studio.state().overlayFrame === 200);
  expect(await readPictureCode(page)).toBe(200);
  // Zoomed in around frame 200 (150 frames in view: 125..274), a click lands on the frame under the pointer.
  await page.keyboard.press('=');
  await expect.poll(() => page.evaluate(() => document.querySelector('.ruler')?.getAttribute('data-view'))).toBe('125-275');
  await page.mouse.click(box.x + ((140 - 125 + 0.5) / 150) * box.width, box.y + box.height / 2);
  await page.waitForFunction(() => window.studio.state().overlayFrame === 140);
  expect(await readPictureCode(page)).toBe(140);
});

test('the Frame box seeks on Enter and hands the focus back so shortcuts work at once', async ({ page }) => {
  await openVideo(page, '/?video=/demo/synthetic.mp4&proposals=/demo/synthetic.proposals.json');
  const box = page.getByLabel('Frame', { exact: true });
  await box.fill('42');
  await box.press('Enter');
  await page.waitForFunction(() => window.studio.state().frame === 42 && window.studio.state().overlayFrame === 42);
  await expect(box).toHaveValue('42');
  await expect(box).not.toBeFocused();
  await page.keyboard.press('f');
  await page.waitForFunction(() => window.studio.state().frame === 43);
  await expect(box).toHaveValue('43');
  expect(await readPictureCode(page)).toBe(43);
  // Space plays and pauses.
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.studio.state().playing && window.studio.state().frame > 46);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !window.studio.state().playing);
  const s = await state(page);
  expect(await readPictureCode(page)).toBe(s.frame);
  // The registry backs the automation surface.
  const ids = (await page.evaluate(() => window.studio.actions())).map((a) => a.id);
  for (const id of ['playback.toggle', 'frame.next', 'frame.prev', 'frame.forward10', 'frame.back10']) expect(ids).toContain(id);
  // The ? sheet lists them.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Next frame');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Undo');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
});

test('a reload restores the open video and frame', async ({ page }) => {
  await page.goto('/');
  await page.locator('[data-video="synthetic"]').click();
  await page.waitForFunction(() => window.studio.state().videoId === 'synthetic' && window.studio.state().overlayFrame === 0);
  await page.evaluate(() => window.studio.seek(123));
  await page.keyboard.press('3'); // arrows off: layers are restored too
  await page.waitForTimeout(1100); // saved within a second
  await page.reload();
  await page.waitForFunction(() => window.studio?.state().frame === 123 && window.studio.state().overlayFrame === 123);
  const s = await state(page);
  expect(s.videoId).toBe('synthetic');
  expect(await readPictureCode(page)).toBe(123);
  await expect(page.getByRole('checkbox', { name: 'Arrows' })).not.toBeChecked();
});

test('bad proposals get a clear error naming the file, line and path', async ({ page }) => {
  const bad = JSON.parse(JSON.stringify(synthetic)) as Proposals;
  bad.instances[1]!.track.boxes[3] = [50, 10, 20, 40];
  await page.route((u) => u.pathname === '/bad.proposals.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify(bad, null, 1) }));
  await page.goto('/?video=/demo/synthetic.mp4&proposals=/bad.proposals.json');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('bad.proposals.json');
  await expect(alert).toContainText('$.instances[1].track.boxes[3]');
  await expect(alert).toContainText(/line \d+/);
  expect((await state(page)).tracks).toHaveLength(0);
});

test('a broken video gets a clear message', async ({ page }) => {
  const good = readFileSync(path.join(pub, 'demo', 'synthetic.mp4'));
  await page.route((u) => u.pathname === '/broken.mp4', (r) => r.fulfill({ contentType: 'video/mp4', body: good.subarray(0, 3000) }));
  await page.route((u) => u.pathname === '/notvideo.mp4', (r) => r.fulfill({ contentType: 'video/mp4', body: Buffer.from('this is not a video at all') }));
  await page.goto('/?video=/broken.mp4');
  await expect(page.getByRole('alert')).toContainText(/broken/i);
  await page.goto('/?video=/notvideo.mp4');
  await expect(page.getByRole('alert')).toContainText(/notvideo/);
  await page.goto('/?video=/missing-file.mp4');
  await expect(page.getByRole('alert')).toContainText(/404|not found/i);
});

test('a video and proposals on another origin load with CORS', async ({ page }) => {
  const mp4 = readFileSync(path.join(pub, 'demo', 'synthetic.mp4'));
  const cors = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', 'Accept-Ranges': 'bytes' };
  await page.route('http://media.example.test/**', async (r) => {
    const url = new URL(r.request().url());
    if (url.pathname.endsWith('.json')) return r.fulfill({ headers: cors, contentType: 'application/json', body: JSON.stringify(synthetic) });
    const range = r.request().headers()['range'];
    const m = range ? /bytes=(\d+)-(\d*)/.exec(range) : null;
    if (m) {
      const a = Number(m[1]);
      const b = m[2] ? Math.min(Number(m[2]), mp4.length - 1) : mp4.length - 1;
      return r.fulfill({ status: 206, headers: { ...cors, 'Content-Range': `bytes ${a}-${b}/${mp4.length}`, 'Content-Type': 'video/mp4' }, body: mp4.subarray(a, b + 1) });
    }
    return r.fulfill({ headers: { ...cors, 'Content-Type': 'video/mp4' }, body: mp4 });
  });
  await openVideo(page, '/?video=http://media.example.test/v/synthetic.mp4&proposals=http://media.example.test/v/synthetic.proposals.json');
  await page.evaluate(() => window.studio.seek(77));
  expect(await readPictureCode(page)).toBe(77);
  expect((await state(page)).tracks.length).toBe(synthetic.instances.length);
});

test('a manifest of 100,000 videos opens and scrolls', async ({ page }) => {
  const videos = Array.from({ length: 100_000 }, (_, i) => ({ id: `v${String(i).padStart(6, '0')}`, src: `videos/v${i}.mp4`, proposals: `p/v${i}.json` }));
  await page.route((u) => u.pathname === '/big-manifest.json', (r) =>
    r.fulfill({ contentType: 'application/json', body: JSON.stringify({ format: 'imove-manifest/1', name: 'Big', videos }) }),
  );
  await page.goto('/?manifest=/big-manifest.json');
  await expect(page.getByText('100,000 videos')).toBeVisible();
  const list = page.getByRole('list', { name: 'Videos' });
  expect(await page.getByRole('listitem').count()).toBeLessThan(100);
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator('[data-video="v099999"]')).toBeVisible();
  await page.getByLabel('Filter videos').fill('v05000');
  await expect(page.getByRole('listitem')).toHaveCount(10);
});

test('1,000 instances: the timeline renders only what is in view and scrolls to the last one', async ({ page }) => {
  const body = generatedProposals(1000, 300);
  await page.route((u) => u.pathname === '/gen-1000.json', (r) => r.fulfill({ contentType: 'application/json', body }));
  await openVideo(page, '/?video=/demo/synthetic.mp4&proposals=/gen-1000.json');
  expect((await state(page)).tracks).toHaveLength(1000);
  await expect(page.getByText('1000 instances')).toBeVisible();
  expect(await page.locator('.lane-row').count()).toBeLessThan(60);
  await page.getByTestId('timeline').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator('.lane-row[data-track="999"]')).toBeVisible();
  expect(await page.locator('.lane-row').count()).toBeLessThan(60);
  // Selecting from the bottom of the list works like anywhere else.
  await page.locator('.lane-row[data-track="999"] .lane-label').click();
  await expect.poll(async () => (await state(page)).selectedTrackId).toBe('999');
});
