import { expect, test } from '@playwright/test';
import { openVideo, savedKey, state } from './support';

const SYNTHETIC = '/?video=/demo/synthetic.mp4&proposals=/demo/synthetic.proposals.json';

test('a late span start is fixed by dragging its edge on the lane', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  // The dog's first span starts at 68; the dog starts running at 60.
  const span = (await state(page)).spans.find((s) => s.trackId === '4' && s.start === 68)!;
  const lane = page.locator('.lane-row[data-track="4"] canvas');
  const box = (await lane.boundingBox())!;
  const n = (await state(page)).frameCount;
  const xOf = (f: number) => box.x + ((f + 0.5) / n) * box.width;
  const y = box.y + 17 + 4; // the span strip
  await page.mouse.move(xOf(68), y);
  await page.mouse.down();
  await page.mouse.move(xOf(64), y, { steps: 3 });
  await page.mouse.move(xOf(60), y, { steps: 3 });
  await page.mouse.up();
  await expect.poll(async () => (await state(page)).spans.find((s) => s.id === span.id)!.start).toBe(60);
  expect((await state(page)).spans.find((s) => s.id === span.id)!.end).toBe(span.end);
  // Undo puts it back.
  await page.getByTestId('stage').focus();
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await state(page)).spans.find((s) => s.id === span.id)!.start).toBe(68);
});

test('a contradicting caption is flagged, the edit shows as a diff, and the flag clears', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  const ball = (await state(page)).spans.find((s) => s.trackId === '5' && s.start === 0)!;
  expect((await state(page)).flags.find((f) => f.spanId === ball.id && f.kind === 'direction')).toBeTruthy();
  await page.evaluate((id) => window.studio.perform('span.select', { spanId: id, seek: true }), ball.id);
  const card = page.locator(`[data-span="${ball.id}"]`);
  await expect(card).toContainText('DIRECTION'.toLowerCase(), { ignoreCase: true });
  const box = card.getByRole('textbox', { name: 'Caption' });
  await box.fill('The yellow ball bounces to the left across the scene.');
  await box.press('Enter');
  await expect.poll(async () => (await state(page)).spans.find((s) => s.id === ball.id)!.captionSource).toBe('human');
  const diff = card.getByLabel("Changes to the model's caption");
  await expect(diff.locator('.diff-removed')).toHaveText('right');
  await expect(diff.locator('.diff-added')).toHaveText('left');
  expect((await state(page)).flags.find((f) => f.spanId === ball.id && f.kind === 'direction')).toBeUndefined();
  // Model text is data: markup in a caption stays text.
  await page.evaluate((id) => window.studio.perform('span.caption', { spanId: id, caption: '<img src=x onerror="window.pwned=1"> rolls left' }), ball.id);
  await expect(card.locator('.diff')).toContainText('<img src=x');
  expect(await card.locator('img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
});

test('spans are made with the keyboard, and a video is submitted once its flags are dismissed, then read-only', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  // Mark a span on the car with { and } .
  await page.evaluate(() => window.studio.perform('track.select', { trackId: '3' }));
  await page.evaluate(() => window.studio.seek(200));
  await page.getByTestId('stage').focus();
  await page.keyboard.press('Shift+BracketLeft');
  await page.evaluate(() => window.studio.seek(120));
  await page.keyboard.press('Shift+BracketRight');
  await expect.poll(async () => (await state(page)).notice ?? '').toContain('overlap');
  await page.evaluate(() => window.studio.seek(100));
  await page.keyboard.press('Shift+BracketLeft');
  await page.evaluate(() => window.studio.seek(104));
  await page.keyboard.press('Shift+BracketRight');
  await expect.poll(async () => (await state(page)).spans.some((s) => s.trackId === '3' && s.start === 100 && s.end === 104)).toBe(true);
  // Too short and outside the car's visible stretch: flagged. Delete it (Ctrl+Delete).
  const made = (await state(page)).spans.find((s) => s.trackId === '3' && s.start === 100)!;
  expect((await state(page)).flags.filter((f) => f.spanId === made.id).map((f) => f.kind).sort()).toEqual(['empty', 'short', 'visibility']);
  await page.keyboard.press('Control+Delete');
  await expect.poll(async () => (await state(page)).spans.some((s) => s.id === made.id)).toBe(false);

  const submit = page.getByRole('button', { name: 'Submit' });
  await expect(submit).toBeDisabled();
  // Dismiss every open flag with a reason, through the panel.
  await page.evaluate(() => window.studio.perform('track.deselect'));
  for (;;) {
    const open = (await state(page)).flags.filter((f) => !f.dismissed);
    if (!open.length) break;
    const row = page.locator(`[data-flag="${open[0]!.id}"]`);
    await row.getByRole('button', { name: 'Dismiss…' }).click();
    // A blank reason is refused, and the box stays open for one.
    await row.getByLabel('Reason').fill('   ');
    await row.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await expect(row.getByLabel('Reason')).toBeVisible();
    expect((await state(page)).flags.find((f) => f.id === open[0]!.id)?.dismissed).toBe(false);
    await row.getByLabel('Reason').fill('checked against the video');
    await row.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await expect.poll(async () => (await state(page)).flags.find((f) => f.id === open[0]!.id)?.dismissed).toBe(true);
  }
  await expect(submit).toBeEnabled();
  await submit.click();
  await expect.poll(async () => (await state(page)).status).toBe('submitted');
  // Read-only now: an edit is refused and changes nothing.
  const before = JSON.stringify((await state(page)).tracks);
  await page.evaluate(() => window.studio.perform('box.nudgeRight', { trackId: '1' }));
  expect((await state(page)).notice).toContain('read-only');
  expect(JSON.stringify((await state(page)).tracks)).toBe(before);
  // Its captions are read, not written: Enter does not open one, the box takes no typing, no draft is left.
  const first = (await state(page)).spans[0]!;
  await page.evaluate((id) => window.studio.perform('span.select', { spanId: id }), first.id);
  await page.getByTestId('stage').focus();
  await page.keyboard.press('Enter');
  expect((await state(page)).notice).toContain('read-only');
  const caption = page.locator(`[data-span="${first.id}"] textarea[aria-label="Caption"]`);
  await expect(caption).not.toBeFocused();
  await caption.click();
  await page.keyboard.type(' X');
  await expect(caption).toHaveValue(first.caption);
  expect(await savedKey<Record<string, string>>(page, 'drafts')).toBeUndefined();
  // The status survives a reload; a reviewer's return makes it editable again.
  await page.reload();
  await page.waitForFunction(() => window.studio?.state().overlayFrame >= 0);
  expect((await state(page)).status).toBe('submitted');
  await page.getByRole('button', { name: 'Return' }).click();
  await page.getByRole('dialog', { name: 'What should the annotator fix?' }).getByRole('textbox').fill('The car span is missing.');
  await page.getByRole('dialog', { name: 'What should the annotator fix?' }).getByRole('button', { name: 'Return video' }).click();
  await expect.poll(async () => (await state(page)).status).toBe('returned');
  await expect(page.getByTestId('review-note')).toContainText('The car span is missing.');
  await expect(page.getByTestId('review-note')).toContainText(/^Returned:/);
  // Resubmitted, the note stays as history, marked so.
  await page.evaluate(() => window.studio.perform('video.submit'));
  await expect.poll(async () => (await state(page)).status).toBe('submitted');
  await expect(page.getByTestId('review-note')).toContainText('Returned earlier (since resubmitted): The car span is missing.');
});

test('a caption typed but not saved survives a reload as a draft; Enter saves it, Escape drops it', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  const span = (await state(page)).spans[0]!;
  await page.evaluate((id) => window.studio.perform('span.select', { spanId: id }), span.id);
  const box = page.locator(`[data-span="${span.id}"] textarea[aria-label="Caption"]`);
  await box.click();
  await box.press('Control+End');
  await page.keyboard.type(' Then it waits.');
  const typed = `${span.caption} Then it waits.`;
  // On disk before the reload, without Enter or leaving the box.
  await expect.poll(async () => Object.values((await savedKey<Record<string, string>>(page, 'drafts')) ?? {})).toContain(typed);
  await page.reload();
  await page.waitForFunction(() => window.studio?.state().overlayFrame >= 0);
  expect((await state(page)).spans.find((s) => s.id === span.id)!.caption).toBe(span.caption);
  await expect(page.locator(`[data-span="${span.id}"] .draft`)).toHaveText('unsaved draft');
  await page.evaluate((id) => window.studio.perform('span.select', { spanId: id }), span.id);
  await expect(box).toHaveValue(typed);
  await box.press('Enter');
  await expect.poll(async () => (await state(page)).spans.find((s) => s.id === span.id)!.caption).toBe(typed);
  await expect.poll(async () => Object.keys((await savedKey<Record<string, string>>(page, 'drafts')) ?? {})).toEqual([]);
  // Kept with Enter, the keys are the video's again: Space plays, nothing is typed into the caption.
  await expect(box).not.toBeFocused();
  await page.keyboard.press('Space');
  await expect.poll(async () => (await state(page)).playing).toBe(true);
  await page.keyboard.press('Space');
  await expect(box).toHaveValue(typed);
  // Escape drops a draft (it used to commit it: the blur saw the text before the reset).
  await box.click();
  await box.press('Control+End');
  await page.keyboard.type(' No.');
  await box.press('Escape');
  await expect(box).toHaveValue(typed);
  expect((await state(page)).spans.find((s) => s.id === span.id)!.caption).toBe(typed);
  await expect.poll(async () => Object.keys((await savedKey<Record<string, string>>(page, 'drafts')) ?? {})).toEqual([]);
});

test('captions are edited from the keyboard: Enter opens the selected span’s caption, Alt+↓ goes on to the next one', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  await page.getByTestId('stage').focus();
  await page.keyboard.press('Alt+ArrowDown');
  await expect.poll(async () => (await state(page)).selectedSpanId).not.toBeNull();
  const first = (await state(page)).selectedSpanId!;
  await page.keyboard.press('Enter');
  const box = page.locator(`[data-span="${first}"] textarea[aria-label="Caption"]`);
  await expect(box).toBeFocused();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Quickly.');
  await page.keyboard.press('Alt+ArrowDown');
  await expect.poll(async () => (await state(page)).spans.find((s) => s.id === first)!.caption.endsWith(' Quickly.')).toBe(true);
  await expect.poll(async () => (await state(page)).selectedSpanId).not.toBe(first);
  const second = (await state(page)).selectedSpanId!;
  await expect(page.locator(`[data-span="${second}"] textarea[aria-label="Caption"]`)).toBeFocused();
  // A focused button keeps its Enter: it is clicked, the caption is not opened.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: '⟲ Loop' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await state(page)).loop).not.toBeNull();
  await expect(page.locator(`[data-span="${second}"] textarea[aria-label="Caption"]`)).not.toBeFocused();
});
