import { createStore } from 'zustand/vanilla';
import type { Annotation, VideoStatus } from '../model/types';
import { DEFAULT_QA_OPTIONS, generateQa, type QaPair, type QaTask } from '../tasks/generate';
import { loadCurated } from './curated';
import { saved } from './history';
import { load, saveSoon, writeNow } from './persistence';
import { statusOf } from './statuses';
import { studio, type Progress } from './studioStore';

/**
 * The reviewer's queue: every QA pair of every submitted (or approved) video of the dataset, with
 * filters. Pairs are derived, never stored; the open video's entries follow its live annotation,
 * so a decision or an edit shows in the queue at once.
 */
export type QaStatus = 'pending' | 'approved' | 'rejected';

export interface QueueItem {
  videoId: string;
  qaId: string;
  task: QaTask;
  spanId: string;
  trackId: string;
  category: string;
  status: QaStatus;
  question: string;
  answer: string;
  reviewer?: string;
  edited: boolean;
}

export interface QueueFilters {
  task: QaTask | '';
  status: QaStatus | '';
  category: string;
  video: string;
}

export interface QueueState {
  /** Review mode: J / Shift+J walk the queue across videos. */
  active: boolean;
  loading: Progress | null;
  items: QueueItem[];
  /** Videos in the queue with their status, in dataset order. */
  videos: Array<{ id: string; status: VideoStatus }>;
  filters: QueueFilters;
  current: { videoId: string; qaId: string } | null;
  reviewer: string;
  error: string | null;
}

export const NO_FILTERS: QueueFilters = { task: '', status: '', category: '', video: '' };
/**
 * Videos whose pairs are read: submitted ones wait for a decision, approved ones stay visible, and
 * returned ones count on the dashboard but leave the queue until their annotator submits again.
 */
const QUEUED: ReadonlySet<VideoStatus> = new Set(['submitted', 'approved', 'returned']);
const REVIEWER_KEY = 'settings:reviewer';

export const queueStore = createStore<QueueState>()(() => ({
  active: false,
  loading: null,
  items: [],
  videos: [],
  filters: NO_FILTERS,
  current: null,
  reviewer: '',
  error: null,
}));

export function pairStatus(pair: QaPair, a: Annotation): QaStatus {
  const r = a.reviews?.[pair.id];
  return r && r.fingerprint === pair.fingerprint ? r.status : 'pending';
}

export function itemsOf(a: Annotation, pairs: QaPair[]): QueueItem[] {
  const category = new Map(a.tracks.map((t) => [t.id, t.category]));
  return pairs.map((q) => {
    const status = pairStatus(q, a);
    const r = status === 'pending' ? undefined : a.reviews?.[q.id];
    return {
      videoId: a.video.id,
      qaId: q.id,
      task: q.task,
      spanId: q.spanId,
      trackId: q.trackId,
      category: category.get(q.trackId) ?? '',
      status,
      question: r?.question ?? q.question,
      answer: r?.answer ?? q.answer,
      ...(r?.reviewer ? { reviewer: r.reviewer } : {}),
      edited: Boolean(r?.edited?.length),
    };
  });
}

let loadToken = 0;

/** (Re)build the queue from the dataset: every queued video's pairs, with progress; cancellable by a newer load. */
export async function loadQueue(): Promise<void> {
  const token = ++loadToken;
  const ds = studio.getState().dataset;
  const queued = (ds?.videos ?? []).filter((v) => QUEUED.has(statusOf(v.id)));
  queueStore.setState({ loading: { label: 'Building the review queue', loaded: 0, total: queued.length }, error: null });
  const items: QueueItem[] = [];
  const videos: QueueState['videos'] = [];
  let lastYield = performance.now();
  try {
    // A video just closed may still be writing its last decisions.
    await saved();
    for (let i = 0; i < queued.length; i++) {
      const v = queued[i]!;
      const c = await loadCurated(v.id);
      if (token !== loadToken) return;
      if (c) {
        videos.push({ id: v.id, status: statusOf(v.id) });
        items.push(...itemsOf(c.annotation, generateQa(c.annotation, c.keysOf, c.timing, QUEUE_RENDERING)));
      }
      if (performance.now() - lastYield > 30) {
        queueStore.setState({ loading: { label: 'Building the review queue', loaded: i + 1, total: queued.length } });
        await new Promise((r) => setTimeout(r, 0));
        lastYield = performance.now();
        if (token !== loadToken) return;
      }
    }
    queueStore.setState({ items, videos, loading: null });
  } catch (e) {
    if (token === loadToken) queueStore.setState({ loading: null, error: `Could not build the queue: ${e instanceof Error ? e.message : String(e)}` });
  }
}

/** Replace one video's entries (after an edit or a decision on the open video). */
export function refreshVideo(a: Annotation, pairs: QaPair[]): void {
  const q = queueStore.getState();
  const id = a.video.id;
  const at = q.items.findIndex((it) => it.videoId === id);
  if (at < 0) return;
  let end = at;
  while (end < q.items.length && q.items[end]!.videoId === id) end++;
  const items = [...q.items.slice(0, at), ...itemsOf(a, pairs), ...q.items.slice(end)];
  const videos = q.videos.map((v) => (v.id === id ? { id, status: statusOf(id) } : v));
  queueStore.setState({ items, videos });
}

const filterCache = new WeakMap<QueueItem[], { filters: QueueFilters; videos: QueueState['videos']; out: QueueItem[] }>();

/** The renderings reviewers read and edit pairs in; an export in other renderings re-renders unedited text. */
export const QUEUE_RENDERING = DEFAULT_QA_OPTIONS;

/** The queue as the reviewer walks it: the filters applied, returned videos left out. */
export function filteredItems(s: QueueState = queueStore.getState()): QueueItem[] {
  const hit = filterCache.get(s.items);
  if (hit && hit.filters === s.filters && hit.videos === s.videos) return hit.out;
  const f = s.filters;
  const returned = new Set(s.videos.filter((v) => v.status === 'returned').map((v) => v.id));
  const out = s.items.filter(
    (it) =>
      !returned.has(it.videoId) &&
      (!f.task || it.task === f.task) &&
      (!f.status || it.status === f.status) &&
      (!f.category || it.category === f.category) &&
      (!f.video || it.videoId === f.video),
  );
  filterCache.set(s.items, { filters: s.filters, videos: s.videos, out });
  return out;
}

export function setFilters(patch: Partial<QueueFilters>): void {
  queueStore.setState((s) => ({ filters: { ...s.filters, ...patch } }));
}

export function setReviewer(name: string): void {
  queueStore.setState({ reviewer: name });
  saveSoon(REVIEWER_KEY, name);
}

export async function restoreReviewer(): Promise<void> {
  const name = await load<string>(REVIEWER_KEY);
  if (typeof name === 'string') queueStore.setState({ reviewer: name });
}

const PLACE_KEY = 'review:place';
type Place = Pick<QueueState, 'active' | 'filters' | 'current'>;

/**
 * Where the reviewer was (review mode, filters, the pair shown) is saved, so a reload resumes there.
 * Written at once, not debounced: one small key per step, and a reload right after a step must not
 * resume on the pair before it.
 */
export function watchReviewPlace(): void {
  queueStore.subscribe((q, prev) => {
    if (q.active !== prev.active || q.filters !== prev.filters || q.current !== prev.current)
      void writeNow([[PLACE_KEY, { active: q.active, filters: q.filters, current: q.current } satisfies Place]], [], 'your place in the review queue').catch(() => undefined);
  });
}

/** Resume review mode after a reload (once the dataset is open again). Returns the pair to show, if any. */
export async function restoreReviewPlace(): Promise<QueueState['current']> {
  const place = await load<Place>(PLACE_KEY);
  if (!place?.active) return null;
  queueStore.setState({ active: true, filters: { ...NO_FILTERS, ...place.filters }, current: place.current ?? null });
  await loadQueue();
  return place.current ?? null;
}

/**
 * The next (dir 1) or previous entry of the filtered queue after the current one, optionally pending
 * only — then this video's first: the queue goes into the next video when this one is done. The
 * walk goes by the whole queue's order: a pair just approved under a "pending" filter has left the
 * filtered list, and searching from the top would bring back the pairs skipped before it.
 */
export function neighbour(dir: 1 | -1, pendingOnly: boolean): QueueItem | null {
  const s = queueStore.getState();
  const list = filteredItems(s);
  if (!list.length) return null;
  const cur = s.current;
  const all = s.items;
  const at = cur ? all.findIndex((it) => it.videoId === cur.videoId && it.qaId === cur.qaId) : -1;
  const shown = new Set(list);
  const walk = (ok: (it: QueueItem) => boolean): QueueItem | null => {
    for (let k = 1; k <= all.length; k++) {
      const idx = at < 0 ? (dir > 0 ? k - 1 : all.length - k) : (((at + dir * k) % all.length) + all.length) % all.length;
      const it = all[idx]!;
      if (shown.has(it) && ok(it)) return it;
    }
    return null;
  };
  if (!pendingOnly) return walk(() => true);
  // After a decision: the pairs still pending in this video first (also those skipped before), then on.
  return (cur && walk((it) => it.status === 'pending' && it.videoId === cur.videoId)) || walk((it) => it.status === 'pending');
}
