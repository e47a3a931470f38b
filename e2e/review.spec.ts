import { expect, test, type Page } from '@playwright/test';
import { openVideo, state } from './support';

/** The reviewer's loop on the QA pairs of one video: keyboard only, undoable, stale after edits. */
const SYNTHETIC = '/?video=/demo/synthetic.mp4&proposals=/demo/synthetic.proposals.json';
const perform = (page: Page, id: string, args?: unknown) => page.evaluate(([i, a]) => window.studio.perform(i as string, a), [id, args] as const);
type Qa = { id: string; task: string; spanId: string; status: string };
const qaOf = async (page: Page) => (await page.evaluate(() => (window.studio.state() as unknown as { qa: Qa[] }).qa));

test('review pairs with the keyboard; an edit after approval returns them to pending; undo restores', async ({ page }) => {
  await openVideo(page, SYNTHETIC);
  const all = await qaOf(page);
  const spans = (await state(page)).spans.filter((s) => s.caption.trim());
  expect(all).toHaveLength(3 * spans.length);
  expect(new Set(all.map((q) => q.task))).toEqual(new Set(['spatial_grounding', 'temporal_grounding', 'dynamic_captioning']));
  const span = all[0]!.spanId;
  await perform(page, 'span.select', { spanId: span });
  await expect(page.locator(`[data-span="${span}"] .qa`)).toHaveCount(3);
  await page.getByTestId('stage').focus();
  await page.keyboard.press('j'); // first pair
  await page.keyboard.press('a'); // approve, then on to the next pending one
  await page.keyboard.press('a');
  // The dialog is modal: with the focus off its box, a key is still not a shortcut behind it.
  // Escape cancels the question (nothing decided); the second time a reason is given.
  await page.keyboard.press('r');
  const why = page.getByRole('dialog', { name: 'Why is this pair rejected?' });
  await expect(why.getByRole('textbox')).toBeFocused();
  await why.getByText('Why is this pair rejected?').click();
  await page.keyboard.press('a');
  expect((await qaOf(page)).filter((q) => q.spanId === span).map((q) => q.status)).toEqual(['approved', 'approved', 'pending']);
  await page.keyboard.press('Escape');
  await expect(why).toHaveCount(0);
  await expect(page.getByRole('status')).toContainText('Not rejected: a rejection needs a reason.');
  expect((await qaOf(page)).filter((q) => q.spanId === span).map((q) => q.status)).toEqual(['approved', 'approved', 'pending']);
  await page.keyboard.press('r');
  await page.keyboard.type('the boxes miss the dog');
  await page.keyboard.press('Enter');
  await expect(why).toHaveCount(0);
  const mine = (await qaOf(page)).filter((q) => q.spanId === span);
  expect(mine.map((q) => q.status)).toEqual(['approved', 'approved', 'rejected']);
  await expect(page.locator(`[data-span="${span}"] .qa-reason`)).toContainText('the boxes miss the dog');
  // Model-written text is shown as text.
  expect(await page.locator(`[data-span="${span}"] .qa-a`).first().evaluate((el) => el.children.length)).toBe(0);
  // Editing the caption changes what the pairs were made from: they are pending again.
  const caption = (await state(page)).spans.find((s) => s.id === span)!.caption;
  await perform(page, 'span.caption', { spanId: span, caption: `${caption} Then it stops.` });
  expect((await qaOf(page)).filter((q) => q.spanId === span).map((q) => q.status)).toEqual(['pending', 'pending', 'pending']);
  await perform(page, 'edit.undo');
  expect((await qaOf(page)).filter((q) => q.spanId === span).map((q) => q.status)).toEqual(['approved', 'approved', 'rejected']);
  await perform(page, 'edit.undo'); // the rejection
  expect((await qaOf(page)).filter((q) => q.spanId === span).map((q) => q.status)).toEqual(['approved', 'approved', 'pending']);
  // Decisions are saved with the annotation.
  await page.reload();
  await page.waitForFunction(() => window.studio?.state().frameCount > 0);
  expect((await qaOf(page)).filter((q) => q.spanId === span).map((q) => q.status)).toEqual(['approved', 'approved', 'pending']);
});
