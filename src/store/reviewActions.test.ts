import { beforeEach, describe, expect, it } from 'vitest';
import { keyframesFromDense } from '../model/keyframes';
import type { Annotation, Box } from '../model/types';
import { resetHistory, undo } from './history';
import { answer, askStore } from './askStore';
import { draftStore, qaDraftKey, setDraft } from './drafts';
import { currentQa, reviewActions, reviewStore } from './reviewActions';
import { neighbour, queueStore, type QueueItem } from './reviewQueue';
import { studio } from './studioStore';

const n = 60;
const annotation = (): Annotation => ({
  video: { id: 'v', src: 'v.mp4', width: 640, height: 360, fps: 30, frameCount: n },
  tags: [{ category: 'dog' }],
  tracks: [{ id: '1', category: 'dog', provenance: 'model', keys: keyframesFromDense(0, Array.from({ length: n }, (_, i): Box => [i, 10, i + 50, 60])) }],
  spans: [{ id: 's', trackId: '1', start: 10, end: 40, caption: 'The dog runs right.', captionSource: 'model', modelCaption: 'The dog runs right.' }],
});
const perform = (id: string, args?: unknown) => reviewActions.find((a) => a.id === id)!.perform(args as never);
const reviewOf = (id: string) => studio.getState().annotation!.reviews?.[id];

/** A submitted video open with its pairs, no decisions yet, nothing to undo. */
function openSubmitted() {
  resetHistory();
  queueStore.setState({ active: false, reviewer: '' });
  reviewStore.setState({ selectedQaId: null, editingQaId: null });
  studio.setState({
    annotation: annotation(),
    open: { id: 'v', src: 'v.mp4' } as never,
    statuses: { v: 'submitted' },
    notice: null,
    video: { width: 640, height: 360, frameCount: n, fps: 30, timestamps: Float64Array.from({ length: n }, (_, i) => i / 30) } as never,
  });
}

describe('review actions', () => {
  beforeEach(openSubmitted);

  it('an edit typed back to the generated text is no edit', async () => {
    const dc = currentQa().find((q) => q.task === 'dynamic_captioning')!;
    await perform('qa.edit', { qaId: dc.id, answer: 'The dog trots right.' });
    expect(reviewOf(dc.id)).toMatchObject({ status: 'approved', answer: 'The dog trots right.', edited: ['answer'], render: { time: 'sec_1dp', box: 'int100', frames: 8 } });
    await perform('qa.edit', { qaId: dc.id, answer: dc.answer });
    const r = reviewOf(dc.id)!;
    expect(r.status).toBe('approved');
    expect(r.answer).toBeUndefined();
    expect(r.edited).toBeUndefined();
    expect(r.render).toBeUndefined();
    undo();
    expect(reviewOf(dc.id)!.answer).toBe('The dog trots right.');
  });

  it('refuses an edit that changes the numbers, and says where to change them', async () => {
    const tg = currentQa().find((q) => q.task === 'temporal_grounding')!;
    expect(tg.answer).toBe('0.3 - 1.4 seconds');
    expect(await perform('qa.edit', { qaId: tg.id, answer: '0.5 - 1.4 seconds' })).toBe(false);
    expect(reviewOf(tg.id)).toBeUndefined();
    expect(studio.getState().notice).toMatch(/come from the annotation.*return the video to its annotator/);
    expect(await perform('qa.edit', { qaId: tg.id, answer: 'From 0.3 - 1.4 seconds.' })).toBe(true);
    expect(reviewOf(tg.id)).toMatchObject({ answer: 'From 0.3 - 1.4 seconds.', edited: ['answer'] });
  });
});

describe('decisions', () => {
  beforeEach(openSubmitted);

  it('R moves on like A, so the next A does not approve the pair just rejected', async () => {
    const [sg, tg] = currentQa();
    reviewStore.setState({ selectedQaId: sg!.id });
    await perform('qa.reject', { reason: 'the boxes drift' });
    expect(reviewOf(sg!.id)).toMatchObject({ status: 'rejected', reason: 'the boxes drift' });
    expect(reviewStore.getState().selectedQaId).toBe(tg!.id);
    await perform('qa.approve');
    expect(reviewOf(sg!.id)!.status).toBe('rejected');
    expect(reviewOf(tg!.id)!.status).toBe('approved');
  });

  it('Approve video asks about the pending pairs; an answer given after the video changed approves nothing', async () => {
    const asked = perform('video.approve') as Promise<boolean>;
    await Promise.resolve();
    expect(askStore.getState().request?.question).toBe('3 pairs are still pending. Approve them with the video?');
    answer('');
    expect(await asked).toBe(true);
    expect(studio.getState().statuses.v).toBe('approved');
    expect(Object.values(studio.getState().annotation!.reviews ?? {}).map((r) => r.status)).toEqual(['approved', 'approved', 'approved']);

    openSubmitted();
    const again = perform('video.approve') as Promise<boolean>;
    await Promise.resolve();
    expect(askStore.getState().request).not.toBeNull();
    // Another video opens while the question is up: the question is withdrawn, nothing is approved.
    studio.setState({ open: { id: 'w', src: 'w.mp4' } as never });
    expect(askStore.getState().request).toBeNull();
    expect(await again).toBe(false);
    expect(studio.getState().statuses.v).toBe('submitted');
  });

  it('a decision drops the pair\'s half-typed rewrite', async () => {
    const [sg] = currentQa();
    setDraft(qaDraftKey('v', sg!.id, 'answer'), 'half typed');
    await perform('qa.approve', { qaId: sg!.id });
    expect(draftStore.getState().drafts).toEqual({});
  });

  it('refuses decisions on a video that is back with its annotator', async () => {
    studio.setState({ statuses: { v: 'returned' } });
    const [sg] = currentQa();
    expect(await perform('qa.approve', { qaId: sg!.id })).toBe(false);
    expect(await perform('qa.reject', { qaId: sg!.id, reason: 'x' })).toBe(false);
    expect(await perform('qa.edit', { qaId: sg!.id, answer: 'x' })).toBe(false);
    expect(studio.getState().annotation!.reviews).toBeUndefined();
    expect(studio.getState().notice).toMatch(/back with its annotator/);
  });
});

describe('the queue walk', () => {
  const item = (i: number, status: QueueItem['status']): QueueItem =>
    ({ videoId: 'v', qaId: `q${i}`, task: 'spatial_grounding', spanId: 's', trackId: '1', category: 'dog', status, question: '', answer: '', edited: false }) as QueueItem;

  it('goes on after the pair just decided, though a "pending" filter has dropped it', () => {
    // q0 and q1 were skipped with J; q2 was just approved; q3 is next.
    const items = [item(0, 'pending'), item(1, 'pending'), item(2, 'approved'), item(3, 'pending'), item(4, 'pending')];
    queueStore.setState({ items, videos: [{ id: 'v', status: 'submitted' }], filters: { task: '', status: 'pending', category: '', video: '' }, current: { videoId: 'v', qaId: 'q2' }, active: true });
    expect(neighbour(1, true)?.qaId).toBe('q3');
    expect(neighbour(-1, true)?.qaId).toBe('q1');
    queueStore.setState({ current: { videoId: 'v', qaId: 'q4' } });
    expect(neighbour(1, true)?.qaId).toBe('q0');
    queueStore.setState({ current: null });
    expect(neighbour(1, false)?.qaId).toBe('q0');
    expect(neighbour(-1, false)?.qaId).toBe('q4');
  });

  it('finishes this video\'s pending pairs (skipped ones too) before going into the next', () => {
    const other = { ...item(9, 'pending'), videoId: 'w' } as QueueItem;
    const items = [item(0, 'pending'), item(1, 'approved'), other];
    queueStore.setState({ items, videos: [{ id: 'v', status: 'submitted' }, { id: 'w', status: 'submitted' }], filters: { task: '', status: '', category: '', video: '' }, current: { videoId: 'v', qaId: 'q1' }, active: true });
    expect(neighbour(1, true)?.qaId).toBe('q0');
    expect(neighbour(1, false)?.qaId).toBe('q9');
    queueStore.setState({ items: [item(0, 'approved'), item(1, 'approved'), other] });
    expect(neighbour(1, true)?.qaId).toBe('q9');
  });
});
