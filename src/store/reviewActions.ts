import { createStore } from 'zustand/vanilla';
import { EditError } from '../model/trackEdits';
import type { Annotation, QaReview } from '../model/types';
import { generateQa, type QaPair } from '../tasks/generate';
import { registerActions, type Action } from './actionRegistry';
import { applyEdit } from './history';
import { shownKeys } from './shownKeys';
import { studio } from './studioStore';

/**
 * Reviewers' decisions on the QA pairs of the open video. Pairs are derived from the annotation
 * (never stored), decisions live in the annotation (`reviews`), so they are autosaved and undone
 * like any edit, and a decision made on an older fingerprint reads as `pending` again.
 */
export type QaStatus = 'pending' | 'approved' | 'rejected';

export const reviewStore = createStore<{ selectedQaId: string | null }>()(() => ({ selectedQaId: null }));

const cache = new WeakMap<Annotation, QaPair[]>();

export function currentQa(): QaPair[] {
  const s = studio.getState();
  const a = s.annotation;
  const v = s.video;
  if (!a || !v) return [];
  let qa = cache.get(a);
  if (!qa) {
    const ts = v.timestamps;
    const n = ts.length;
    const duration = n ? ts[n - 1]! - ts[0]! + 1 / (v.fps || 30) : 0;
    qa = generateQa(a, shownKeys, { timestamps: ts, duration });
    cache.set(a, qa);
  }
  return qa;
}

export function qaStatus(pair: QaPair, a: Annotation | null = studio.getState().annotation): QaStatus {
  const r = a?.reviews?.[pair.id];
  return r && r.fingerprint === pair.fingerprint ? r.status : 'pending';
}

function notice(text: string | null): void {
  studio.setState({ notice: text });
}

function target(args?: { qaId?: string }): QaPair | null {
  const id = args?.qaId ?? reviewStore.getState().selectedQaId;
  const pair = id ? currentQa().find((q) => q.id === id) : undefined;
  if (!pair) {
    notice('Select a question–answer pair first (J goes to the next one).');
    return null;
  }
  return pair;
}

function decide(label: string, pair: QaPair, review: QaReview | null): boolean {
  try {
    const changed = applyEdit(
      label,
      (a) => {
        const reviews = { ...(a.reviews ?? {}) };
        if (review) reviews[pair.id] = review;
        else delete reviews[pair.id];
        return { ...a, reviews };
      },
      { review: true },
    );
    notice(null);
    return changed;
  } catch (e) {
    if (e instanceof EditError) {
      notice(`${label}: ${e.message}`);
      return false;
    }
    throw e;
  }
}

/** Go to the next (or previous) pair, preferring pending ones after an approval. */
function step(dir: 1 | -1, pendingOnly = false): string | null {
  const list = currentQa();
  if (!list.length) {
    notice('No question–answer pairs yet: they are made from spans with captions.');
    return null;
  }
  const cur = list.findIndex((q) => q.id === reviewStore.getState().selectedQaId);
  for (let k = 1; k <= list.length; k++) {
    const q = list[(((cur < 0 ? (dir > 0 ? -1 : 0) : cur) + dir * k) % list.length + list.length) % list.length]!;
    if (pendingOnly && qaStatus(q) !== 'pending') continue;
    reviewStore.setState({ selectedQaId: q.id });
    return q.id;
  }
  return null;
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
    perform: (args?: { qaId?: string }) => {
      const pair = target(args);
      if (!pair) return false;
      const { reason: _dropped, ...keep } = previous(pair) ?? {};
      const ok = decide('Approve pair', pair, { ...keep, status: 'approved', fingerprint: pair.fingerprint });
      if (ok && !args?.qaId) step(1, true);
      return ok;
    },
  },
  {
    id: 'qa.reject',
    label: 'Reject the question–answer pair (with a reason)',
    keys: ['R'],
    group: 'Review',
    perform: (args?: { qaId?: string; reason?: string }) => {
      const pair = target(args);
      if (!pair) return false;
      const reason = args?.reason ?? (typeof window !== 'undefined' && 'prompt' in window ? (window.prompt('Why is this pair rejected?') ?? null) : null);
      if (reason === null || !reason.trim()) {
        notice('Reject: give a reason.');
        return false;
      }
      return decide('Reject pair', pair, { ...previous(pair), status: 'rejected', fingerprint: pair.fingerprint, reason: reason.trim() });
    },
  },
  {
    id: 'qa.edit',
    label: 'Edit the question or answer of a pair (and approve it)',
    group: 'Review',
    perform: (args?: { qaId?: string; question?: string; answer?: string }) => {
      const pair = target(args);
      if (!pair) return false;
      const edited = new Set(previous(pair)?.edited ?? []);
      const r: QaReview = { ...previous(pair), status: 'approved', fingerprint: pair.fingerprint };
      if (args?.question !== undefined && args.question !== pair.question) {
        r.question = args.question;
        edited.add('question');
      }
      if (args?.answer !== undefined && args.answer !== pair.answer) {
        r.answer = args.answer;
        edited.add('answer');
      }
      r.edited = [...edited].sort();
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
      reviewStore.setState({ selectedQaId: args?.qaId ?? null });
      return args?.qaId ?? null;
    },
  },
];

export function registerReviewActions(): void {
  registerActions(reviewActions);
}
