import { createStore } from 'zustand/vanilla';
import type { Annotation, QaReview } from '../model/types';
import { generateQa, type QaPair } from '../tasks/generate';
import { editProblem } from '../tasks/reviewEdits';
import { registerActions, type Action } from './actionRegistry';
import { askConfirm, askText } from './askStore';
import { clearDraft, draftOf, qaDraftKey } from './drafts';
import { flush } from './persistence';
import { currentClock } from './player';
import { neighbour, pairStatus, QUEUE_RENDERING, queueStore, refreshVideo, restoreReviewPlace, type QueueItem } from './reviewQueue';
import { openVideo } from './session';
import { edit, selectSpan } from './spanActions';
import { statusOf } from './statuses';
import { shownKeys } from './shownKeys';
import { studio } from './studioStore';
import { timingOf } from './timings';

/**
 * Reviewers' decisions on the QA pairs of the open video. Pairs are derived from the annotation
 * (never stored), decisions live in the annotation (`reviews`), so they are autosaved and undone
 * like any edit, and a decision made on an older fingerprint reads as `pending` again.
 */
export type { QaStatus } from './reviewQueue';

/** The selected pair, and the one whose text is being edited (E). */
export const reviewStore = createStore<{ selectedQaId: string | null; editingQaId: string | null }>()(() => ({ selectedQaId: null, editingQaId: null }));

const cache = new WeakMap<Annotation, QaPair[]>();

export function currentQa(): QaPair[] {
  const s = studio.getState();
  const a = s.annotation;
  const v = s.video;
  if (!a || !v) return [];
  let qa = cache.get(a);
  if (!qa) {
    qa = generateQa(a, shownKeys, timingOf(v.timestamps, v.fps), QUEUE_RENDERING);
    cache.set(a, qa);
  }
  return qa;
}

export function qaStatus(pair: QaPair, a: Annotation | null = studio.getState().annotation) {
  return a ? pairStatus(pair, a) : 'pending';
}

function notice(text: string | null): void {
  studio.setState({ notice: text });
}

/** The pair an action works on; `deciding` also refuses a video that is back with its annotator. */
function target(args?: { qaId?: string }, deciding = false): QaPair | null {
  const open = studio.getState().open;
  if (deciding && open && statusOf(open.id) === 'returned') {
    notice('This video is back with its annotator (returned): its pairs are reviewed again once it is resubmitted.');
    return null;
  }
  const id = args?.qaId ?? reviewStore.getState().selectedQaId;
  const pair = id ? currentQa().find((q) => q.id === id) : undefined;
  if (!pair) {
    notice('Select a question–answer pair first (J goes to the next one).');
    return null;
  }
  return pair;
}

function signed(review: QaReview): QaReview {
  const reviewer = queueStore.getState().reviewer.trim();
  return reviewer ? { ...review, reviewer } : review;
}

function decide(label: string, pair: QaPair, review: QaReview): boolean {
  const ok = edit(label, (a) => ({ ...a, reviews: { ...(a.reviews ?? {}), [pair.id]: signed(review) } }), { review: true });
  // Decided: a half-typed rewrite of the pair would only reopen stale text over the decision.
  if (ok) dropRewrites([pair]);
  return ok;
}

/** After a decision on these pairs: their drafts go, and an editor open on one of them closes. */
function dropRewrites(pairs: QaPair[]): void {
  const open = studio.getState().open;
  if (!open) return;
  clearDraft(...pairs.flatMap((p) => [qaDraftKey(open.id, p.id, 'question'), qaDraftKey(open.id, p.id, 'answer')]));
  const editing = reviewStore.getState().editingQaId;
  if (editing && pairs.some((p) => p.id === editing)) reviewStore.setState({ editingQaId: null });
}

/** Show a queue entry's evidence: open its video, select and loop its span, play. */
export async function showItem(it: QueueItem): Promise<string> {
  queueStore.setState({ current: { videoId: it.videoId, qaId: it.qaId } });
  const s = studio.getState();
  if (s.open?.id !== it.videoId) {
    const entry = s.dataset?.videos.find((v) => v.id === it.videoId);
    if (!entry) {
      notice(`Video ${it.videoId} is not in this dataset any more.`);
      return it.qaId;
    }
    await openVideo(entry);
    if (studio.getState().open?.id !== it.videoId || !studio.getState().annotation) return it.qaId;
  }
  // A pending pair left with its text half rewritten (J away, a reload) opens in its editor again.
  const drafted =
    it.status === 'pending' &&
    statusOf(it.videoId) !== 'returned' &&
    (draftOf(qaDraftKey(it.videoId, it.qaId, 'question')) !== undefined || draftOf(qaDraftKey(it.videoId, it.qaId, 'answer')) !== undefined);
  reviewStore.setState({ selectedQaId: it.qaId, editingQaId: drafted ? it.qaId : null });
  selectSpan(it.spanId, { loop: true });
  const span = studio.getState().annotation?.spans.find((x) => x.id === it.spanId);
  const clock = currentClock();
  if (span && clock) {
    await clock.seek(span.start).catch(() => undefined);
    if (queueStore.getState().current?.qaId === it.qaId) clock.play();
  }
  return it.qaId;
}

/** Go to the next (or previous) pair, preferring pending ones after an approval; across videos in review mode. */
function step(dir: 1 | -1, pendingOnly = false): string | null | Promise<string | null> {
  if (queueStore.getState().active) {
    const it = neighbour(dir, pendingOnly);
    if (!it) {
      notice(pendingOnly ? 'No pending pairs left in the queue (with these filters).' : 'The queue is empty (with these filters).');
      return null;
    }
    return showItem(it);
  }
  const list = currentQa();
  if (!list.length) {
    notice('No question–answer pairs yet: they are made from spans with captions.');
    return null;
  }
  const cur = list.findIndex((q) => q.id === reviewStore.getState().selectedQaId);
  for (let k = 1; k <= list.length; k++) {
    const q = list[(((cur < 0 ? (dir > 0 ? -1 : 0) : cur) + dir * k) % list.length + list.length) % list.length]!;
    if (pendingOnly && qaStatus(q) !== 'pending') continue;
    reviewStore.setState({ selectedQaId: q.id, editingQaId: null });
    return q.id;
  }
  return null;
}

/** Pending pairs of the open video. */
function pendingPairs(): QaPair[] {
  return currentQa().filter((q) => qaStatus(q) === 'pending');
}

function previous(pair: QaPair): QaReview | undefined {
  const r = studio.getState().annotation?.reviews?.[pair.id];
  return r && r.fingerprint === pair.fingerprint ? r : undefined;
}

export const reviewActions: Action[] = [
  {
    id: 'qa.approve',
    label: 'Approve the question–answer pair',
    keys: ['A'],
    group: 'Review',
    perform: async (args?: { qaId?: string }) => {
      const pair = target(args, true);
      if (!pair) return false;
      const { reason: _dropped, ...keep } = previous(pair) ?? {};
      const ok = decide('Approve pair', pair, { ...keep, status: 'approved', fingerprint: pair.fingerprint });
      if (ok && !args?.qaId) await step(1, true);
      return ok;
    },
  },
  {
    id: 'qa.reject',
    label: 'Reject the question–answer pair (with a reason)',
    keys: ['R'],
    group: 'Review',
    perform: async (args?: { qaId?: string; reason?: string }) => {
      const pair = target(args, true);
      if (!pair) return false;
      const videoId = studio.getState().open?.id;
      const reason = args?.reason ?? (await askText('Why is this pair rejected?', 'Reject', 'e.g. the boxes miss the dog after 3 s'));
      // The dialog took time: the decision must land on the video it was asked about.
      if (studio.getState().open?.id !== videoId) {
        notice('The video changed while the reason was asked: nothing was decided.');
        return false;
      }
      if (reason === null || !reason.trim()) {
        notice('Not rejected: a rejection needs a reason.');
        return false;
      }
      const ok = decide('Reject pair', pair, { ...previous(pair), status: 'rejected', fingerprint: pair.fingerprint, reason: reason.trim() });
      // On, as after an approval: left on the rejected pair, the next A would approve it.
      if (ok && !args?.qaId) await step(1, true);
      return ok;
    },
  },
  {
    id: 'qa.edit',
    label: 'Edit the question or answer of a pair (and approve it)',
    keys: ['E'],
    group: 'Review',
    perform: (args?: { qaId?: string; question?: string; answer?: string }) => {
      const pair = target(args, true);
      if (!pair) return false;
      // From the keyboard: open the pair's editor; the editor commits through this action with the text.
      if (args?.question === undefined && args?.answer === undefined) {
        reviewStore.setState({ selectedQaId: pair.id, editingQaId: pair.id });
        return true;
      }
      const before = previous(pair);
      const text = { question: args?.question ?? before?.question ?? pair.question, answer: args?.answer ?? before?.answer ?? pair.answer };
      const caption = studio.getState().annotation?.spans.find((x) => x.id === pair.spanId)?.caption;
      for (const field of ['question', 'answer'] as const) {
        const problem = text[field] === pair[field] ? null : editProblem(pair.task, field, pair[field], text[field], caption);
        // The editor stays open with the text, so nothing typed is lost while the notice says why.
        if (problem) {
          notice(problem);
          return false;
        }
      }
      reviewStore.setState({ editingQaId: null });
      const { question: _q, answer: _a, edited: _e, render: _r, ...rest } = before ?? {};
      const r: QaReview = { ...rest, status: 'approved', fingerprint: pair.fingerprint };
      // Typing the generated text back undoes the edit: only what differs is the reviewer's.
      const edited = (['answer', 'question'] as const).filter((f) => text[f] !== pair[f]);
      for (const f of edited) r[f] = text[f];
      if (edited.length) {
        r.edited = edited;
        r.render = { ...QUEUE_RENDERING };
      }
      return decide('Edit pair', pair, r);
    },
  },
  { id: 'qa.next', label: 'Next question–answer pair', keys: ['J'], group: 'Review', perform: () => step(1) },
  { id: 'qa.prev', label: 'Previous question–answer pair', keys: ['Shift+J'], group: 'Review', perform: () => step(-1) },
  {
    id: 'qa.select',
    label: 'Select a question–answer pair',
    group: 'Review',
    perform: (args?: { qaId?: string | null }) => {
      reviewStore.setState({ selectedQaId: args?.qaId ?? null, editingQaId: null });
      const cur = queueStore.getState().current;
      const open = studio.getState().open;
      if (args?.qaId && open && queueStore.getState().active && cur?.qaId !== args.qaId) queueStore.setState({ current: { videoId: open.id, qaId: args.qaId } });
      return args?.qaId ?? null;
    },
  },
  {
    id: 'queue.show',
    label: 'Show a queue entry (open its video, loop its span)',
    group: 'Review',
    perform: async (args?: { videoId: string; qaId: string }) => {
      const it = queueStore.getState().items.find((x) => x.videoId === args?.videoId && x.qaId === args?.qaId);
      if (!it) {
        notice('That pair is not in the queue.');
        return null;
      }
      queueStore.setState({ active: true });
      return showItem(it);
    },
  },
  {
    id: 'video.approve',
    label: 'Approve the whole video (reviewer)',
    group: 'Video',
    perform: async (args?: { note?: string; approvePending?: boolean }) => {
      const s = studio.getState();
      if (!s.open || !s.annotation) return false;
      const status = statusOf(s.open.id);
      if (status !== 'submitted' && status !== 'approved') {
        notice(`Approve: only a submitted video can be approved (this one is ${status.replace('_', ' ')}).`);
        return false;
      }
      const pending = pendingPairs();
      if (pending.length && !args?.approvePending) {
        const n = pending.length;
        // Unsaid (the button, a script without the flag): ask; the answer counts only for the video it was asked about.
        const yes = args?.approvePending === undefined && (await askConfirm(`${n} pair${n === 1 ? ' is' : 's are'} still pending. Approve ${n === 1 ? 'it' : 'them'} with the video?`, 'Approve video'));
        if (!yes || studio.getState().open?.id !== s.open.id || studio.getState().annotation !== s.annotation) {
          notice(`Approve: ${n} pair${n === 1 ? ' is' : 's are'} still pending: review them, or approve them with the video.`);
          return false;
        }
      }
      const reviewer = queueStore.getState().reviewer.trim();
      const ok = edit(
        'Approve video',
        (a) => {
          const reviews = { ...(a.reviews ?? {}) };
          for (const q of pending) reviews[q.id] = signed({ status: 'approved', fingerprint: q.fingerprint });
          return { ...a, reviews, videoReview: { status: 'approved', ...(args?.note?.trim() ? { note: args.note.trim() } : {}), ...(reviewer ? { reviewer } : {}) } };
        },
        { review: true, status: 'approved' },
      );
      if (ok) {
        dropRewrites(pending);
        notice(`Approved ${s.open.id}${pending.length ? ` and its ${pending.length} pending pairs` : ''}.`);
      }
      await flush();
      return ok;
    },
  },
  {
    id: 'video.return',
    label: 'Return the video to its annotator, with a note (reviewer)',
    group: 'Video',
    perform: async (args?: { note?: string }) => {
      const s = studio.getState();
      if (!s.open || !s.annotation) return false;
      const note = args?.note ?? (await askText('What should the annotator fix?', 'Return video', 'e.g. the dog span starts too late'));
      if (studio.getState().open?.id !== s.open.id) {
        notice('The video changed while the note was asked: it was not returned.');
        return false;
      }
      if (note === null || !note.trim()) {
        notice('Not returned: a return needs a note for the annotator.');
        return false;
      }
      const reviewer = queueStore.getState().reviewer.trim();
      const ok = edit('Return video', (a) => ({ ...a, videoReview: { status: 'returned', note: note.trim(), ...(reviewer ? { reviewer } : {}) } }), { review: true, status: 'returned' });
      if (ok) notice('Returned to the annotator: editable again.');
      await flush();
      return ok;
    },
  },
];

/**
 * After a reload: back in review mode, on the pair that was shown. Its video is opened if the session
 * reopened another (the session's last video is saved debounced, the review place at once).
 */
export async function resumeReview(): Promise<void> {
  const cur = await restoreReviewPlace();
  if (queueStore.getState().active) studio.setState({ page: 'review' });
  const it = cur && queueStore.getState().items.find((x) => x.videoId === cur.videoId && x.qaId === cur.qaId);
  if (it) await showItem(it);
}

/** Keep the queue's entries for the open video in step with its annotation. */
export function watchQueue(): void {
  studio.subscribe((s, prev) => {
    if (s.annotation && (s.annotation !== prev.annotation || s.statuses !== prev.statuses) && queueStore.getState().items.length) refreshVideo(s.annotation, currentQa());
  });
}

export function registerReviewActions(): void {
  registerActions(reviewActions);
}
