import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { savedKey, state } from './support';

/**
 * The reviewer's and the curator's side across videos: a queue over every submitted video,
 * walked with the keyboard only; whole-video decisions; the dashboard; the export, parsed back.
 */
type Queue = { active: boolean; loading: boolean; total: number; shown: number; pending: number; current: { videoId: string; qaId: string } | null; reviewer: string };
type Qa = { id: string; task: string; spanId: string; status: string };
const extra = (page: Page) => page.evaluate(() => window.studio.state() as unknown as { queue: Queue; qa: Qa[]; page: string; videoId: string | null; loop: unknown; playing: boolean; status: string | null; notice: string | null });
const perform = (page: Page, id: string, args?: unknown) => page.evaluate(([i, a]) => window.studio.perform(i as string, a), [id, args] as const);

/** Open a demo video from the list, dismiss its flags and submit it (the annotator's part). */
async function submit(page: Page, videoId: string): Promise<void> {
  await page.locator(`[data-video="${videoId}"]`).click();
  await page.waitForFunction((id) => {
    const s = window.studio.state();
    return s.videoId === id && s.frameCount > 0 && s.overlayFrame === s.frame;
  }, videoId);
  for (const f of (await state(page)).flags.filter((x) => !x.dismissed)) await perform(page, 'flag.dismiss', { flagId: f.id, reason: 'checked' });
  await perform(page, 'video.submit');
  expect((await state(page)).status).toBe('submitted');
  await page.getByRole('button', { name: 'iMOVE Studio demo' }).click();
}

async function waitQueue(page: Page): Promise<Queue> {
  await page.waitForFunction(() => {
    const q = (window.studio.state() as unknown as { queue: Queue }).queue;
    return !q.loading && q.total > 0;
  });
  return (await extra(page)).queue;
}

test('review a queue across videos with the keyboard only; return a video; dashboard; export and parse every line', async ({ page }) => {
  await page.goto('/?manifest=demo/manifest.json');
  await page.waitForSelector('[data-video="synthetic"]');
  await submit(page, 'synthetic');
  await submit(page, 'motion');

  await page.getByRole('button', { name: 'Review', exact: true }).click();
  const q0 = await waitQueue(page);
  expect(q0.active).toBe(true);
  expect(q0.pending).toBe(q0.total);
  await page.getByLabel('Reviewer name').fill('Ada');
  // Enter hands the keys back (the next J walks the queue, not the name).
  await page.getByLabel('Reviewer name').press('Enter');
  await expect(page.getByLabel('Reviewer name')).not.toBeFocused();

  // Filters: one task leaves a third of the pairs; a video filter only that video's.
  await page.getByLabel('Task').selectOption('temporal_grounding');
  expect((await extra(page)).queue.shown * 3).toBe(q0.total);
  await page.getByLabel('Task').selectOption('');
  await page.getByLabel('Video').selectOption('motion');
  const motionPairs = (await extra(page)).queue.shown;
  expect(motionPairs).toBeGreaterThan(0);
  expect(motionPairs).toBeLessThan(q0.total);
  await page.getByLabel('Video').selectOption('');

  // Keyboard only from here: J shows the first pair (its video opens, its span loops).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('j');
  await page.waitForFunction(() => {
    const s = window.studio.state() as unknown as { queue: Queue; selectedQaId: string | null; videoId: string | null; loop: unknown };
    return s.queue.current !== null && s.selectedQaId === s.queue.current.qaId && s.videoId === s.queue.current.videoId && s.loop !== null;
  });
  const first = (await extra(page)).queue.current!;
  expect(first.videoId).toBe('synthetic');
  await expect(page.getByRole('complementary', { name: 'Review queue panel' })).toBeVisible();

  // Approve every pair of the first video with A: the queue moves on into the next video by itself.
  const synthPairs = q0.total - motionPairs;
  for (let i = 0; i < synthPairs; i++) {
    const before = (await extra(page)).queue.pending;
    await page.keyboard.press('a');
    await expect.poll(async () => (await extra(page)).queue.pending).toBe(before - 1);
  }
  await page.waitForFunction(() => window.studio.state().videoId === 'motion' && window.studio.state().overlayFrame >= 0);
  await expect.poll(async () => (await extra(page)).queue.current?.videoId).toBe('motion');

  // A reload resumes review mode on the same pair, the queue panel beside it.
  const here = (await extra(page)).queue.current!;
  await page.reload();
  await page.waitForFunction((h) => {
    const s = window.studio.state() as unknown as { queue: Queue; selectedQaId: string | null; videoId: string | null; loop: unknown };
    return s.queue.active && !s.queue.loading && s.queue.current?.qaId === h.qaId && s.videoId === h.videoId && s.selectedQaId === h.qaId && s.loop !== null;
  }, here);
  await expect(page.getByRole('complementary', { name: 'Review queue panel' })).toBeVisible();
  expect((await extra(page)).queue.reviewer).toBe('Ada');
  expect((await extra(page)).page).toBe('review');
  await expect(page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Review' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('group', { name: 'Queue filters' }).getByRole('button', { name: 'clear' })).toHaveCount(0);

  // Reject one with a reason (R), edit the next one's answer (E, Ctrl+Enter saves and approves).
  await page.waitForFunction(() => (window.studio.state() as unknown as { selectedQaId: string | null }).selectedQaId !== null);
  const rejected = (await extra(page)).queue.current!.qaId;
  // The reason is asked in the app's own dialog, keyboard in, keyboard out.
  await page.keyboard.press('r');
  const why = page.getByRole('dialog', { name: 'Why is this pair rejected?' });
  await expect(why.getByRole('textbox')).toBeFocused();
  await page.keyboard.type('the span starts too late');
  await page.keyboard.press('Enter');
  await expect(why).toHaveCount(0);
  await expect.poll(async () => (await extra(page)).qa.find((x) => x.id === rejected)?.status).toBe('rejected');
  await page.keyboard.press('j');
  await expect.poll(async () => (await extra(page)).queue.current?.qaId).not.toBe(rejected);
  const edited = (await extra(page)).queue.current!.qaId;
  await page.keyboard.press('e');
  const answer = page.locator(`[data-qa="${edited}"] textarea[aria-label="Answer"]`);
  await expect(answer).toBeFocused();
  // The words are the reviewer's, the numbers the annotation's: an answer that drops them is refused, the text kept.
  const generated = await answer.inputValue();
  const numbered = /\d/.test(generated);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('A reviewer wrote <b>this</b> answer.');
  if (numbered) {
    await page.keyboard.press('Control+Enter');
    await expect(page.getByRole('status').filter({ hasText: 'come from the annotation' })).toBeVisible();
    await expect(answer).toHaveValue('A reviewer wrote <b>this</b> answer.');
    await expect(answer).toBeFocused(); // the keys stay in the editor for the fix
    await answer.fill(`A reviewer wrote <b>this</b> answer: ${generated}`);
    await answer.focus();
  }
  const typed = numbered ? `A reviewer wrote <b>this</b> answer: ${generated}` : 'A reviewer wrote <b>this</b> answer.';
  await page.keyboard.press('Control+Enter');
  await expect.poll(async () => (await extra(page)).qa.find((x) => x.id === edited)?.status).toBe('approved');
  await expect(page.locator(`[data-qa="${edited}"] .qa-a`)).toHaveText(typed);

  // Return the whole video with a note; the annotator sees it, edits a caption, its pairs are pending again.
  const approvedBefore = (await extra(page)).qa.filter((x) => x.status === 'approved').length;
  expect(approvedBefore).toBeGreaterThan(0);
  await perform(page, 'video.return', { note: 'Tighten the coin span.' });
  expect((await extra(page)).status).toBe('returned');
  await expect(page.getByTestId('review-note')).toContainText('Tighten the coin span.');
  const span = (await extra(page)).qa.find((x) => x.id === edited)!.spanId;
  const caption = (await state(page)).spans.find((s) => s.id === span)!.caption;
  await perform(page, 'span.caption', { spanId: span, caption: `${caption} It stops.` });
  expect((await extra(page)).qa.filter((x) => x.spanId === span).map((x) => x.status)).toEqual(['pending', 'pending', 'pending']);
  await perform(page, 'edit.undo');
  await perform(page, 'edit.undo'); // the return: submitted again
  expect((await extra(page)).status).toBe('submitted');
  expect((await extra(page)).qa.find((x) => x.id === edited)?.status).toBe('approved');

  // Approve the whole video (its pending pairs with it).
  await perform(page, 'video.approve', { approvePending: true });
  expect((await extra(page)).status).toBe('approved');

  // The dashboard counts decisions per reviewer.
  await page.getByRole('button', { name: 'Progress & export', exact: true }).click();
  await waitQueue(page);
  const ada = page.locator('[data-reviewer="Ada"] td');
  await expect(ada.nth(0)).toHaveText('Ada');
  const approvedAll = (await page.evaluate(() => (window.studio.state() as unknown as { queue: Queue }).queue.total)) - 1;
  await expect(ada.nth(1)).toHaveText(String(approvedAll));
  await expect(ada.nth(2)).toHaveText('1');
  await expect(page.locator('[data-bar="videos"] .bar')).toHaveAttribute('aria-label', /1 submitted, 1 approved/);

  // Export: a download of JSONL, every line parses, approved pairs only, text kept verbatim.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.imove\.jsonl$/);
  const lines = (await readFile((await download.path())!, 'utf8')).split('\n');
  expect(lines.pop()).toBe('');
  const records = lines.map((l) => JSON.parse(l) as { id: string; task: string; conversations: Array<{ value: string }>; instance: { track: Array<{ box: number[] }> } });
  expect(records).toHaveLength(approvedAll);
  expect(records.some((r) => r.id === rejected)).toBe(false);
  // Videos are named as the manifest names them (portable), not by this browser's URL.
  expect(new Set(records.map((r) => (r as unknown as { video: string }).video))).toEqual(new Set(['synthetic.mp4', 'motion.mp4']));
  expect(records.find((r) => r.id === edited)!.conversations[1]!.value).toBe(typed);
  for (const r of records) for (const p of r.instance.track) expect(p.box.every((v) => v >= 0 && v <= 1)).toBe(true);
  await expect(page.getByTestId('export-report')).toContainText(`${approvedAll} records written`);
  await expect(page.getByTestId('export-report')).toContainText('1 skipped');

  // Another profile through the same path: VideoRefer's loader json.loads one array; each item carries
  // one <region> per annotated object.
  await page.getByLabel('Profile').selectOption('videorefer');
  const [vr] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
  expect(vr.suggestedFilename()).toMatch(/\.videorefer\.json$/);
  const vrItems = JSON.parse(await readFile((await vr.path())!, 'utf8')) as Array<{ conversations: Array<{ value: string }>; annotation: unknown[] }>;
  expect(vrItems.length).toBeGreaterThan(0);
  for (const l of vrItems) expect((l.conversations[0]!.value.match(/<region>/g) ?? []).length).toBe(l.annotation.length);
  // The same as JSON Lines when asked.
  await page.getByLabel('Export file', { exact: true }).selectOption('jsonl');
  const [vrl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
  const vrLines = (await readFile((await vrl.path())!, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as unknown);
  expect(vrLines).toEqual(vrItems);
});

test('a question or answer half rewritten survives a reload: the pair reopens in its editor with the text', async ({ page }) => {
  await page.goto('/?manifest=demo/manifest.json');
  await page.waitForSelector('[data-video="motion"]');
  await submit(page, 'motion');
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await waitQueue(page);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('j');
  await page.waitForFunction(() => (window.studio.state() as unknown as { selectedQaId: string | null }).selectedQaId !== null);
  const pair = (await extra(page)).queue.current!.qaId;
  await page.keyboard.press('e');
  const answer = page.locator(`[data-qa="${pair}"] textarea[aria-label="Answer"]`);
  await expect(answer).toBeFocused();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' (checked)');
  const typed = await answer.inputValue();
  await expect.poll(async () => Object.values((await savedKey<Record<string, string>>(page, 'drafts')) ?? {})).toContain(typed);
  await page.reload();
  await expect(page.locator(`[data-qa="${pair}"] textarea[aria-label="Answer"]`)).toHaveValue(typed);
  expect((await extra(page)).qa.find((q) => q.id === pair)!.status).toBe('pending');
  // Cancel drops it; nothing was decided.
  await page.locator(`[data-qa="${pair}"]`).getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(async () => Object.keys((await savedKey<Record<string, string>>(page, 'drafts')) ?? {})).toEqual([]);
  expect((await extra(page)).qa.find((q) => q.id === pair)!.status).toBe('pending');
  // A decision made while the editor is open (here: the whole video) closes it and drops its text.
  await page.locator(`[data-qa="${pair}"]`).getByRole('button', { name: 'Edit' }).click();
  await page.locator(`[data-qa="${pair}"] textarea[aria-label="Answer"]`).pressSequentially(' x');
  await page.getByRole('button', { name: 'Approve video' }).click();
  const confirm = page.getByRole('dialog', { name: /still pending/ });
  await expect(confirm.getByRole('button', { name: 'Approve video' })).toBeFocused();
  await page.keyboard.press('Space'); // play/pause elsewhere: here it must not answer
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await extra(page)).status).toBe('approved');
  await expect(page.locator(`[data-qa="${pair}"] textarea`)).toHaveCount(0);
  await expect.poll(async () => Object.keys((await savedKey<Record<string, string>>(page, 'drafts')) ?? {})).toEqual([]);
});
