import type { ResolveOptions } from '../model/corrections';
import { EditError } from '../model/trackEdits';
import { resolveOptions } from './shownKeys';
import type { Annotation, VideoStatus } from '../model/types';
import { setStatus, statusOf } from './statuses';
import { storeAnnotation } from './annotationStore';
import { flush, saveSoon } from './persistence';
import { repaintOverlay } from './player';
import { studio } from './studioStore';

/**
 * Undo/redo and autosave for edits. Edits are pure functions of the annotation, so history keeps
 * the objects before and after (sharing every unchanged track): undo restores exactly.
 */
export interface HistoryEntry {
  label: string;
  /** A reviewer's decision: allowed (and undoable) on a submitted, read-only video. */
  review?: boolean;
  /** A change of the video's status made with this edit (approve / return), undone with it. */
  status?: { videoId: string; before: VideoStatus; after: VideoStatus };
  before: Annotation;
  after: Annotation;
}

const LIMIT = 500;
let past: HistoryEntry[] = [];
let future: HistoryEntry[] = [];

/** Apply an edit to the open video's annotation; returns false when nothing changed. */
export function applyEdit(label: string, edit: (a: Annotation, opts: ResolveOptions) => Annotation, kind: { review?: boolean; status?: VideoStatus } = {}): boolean {
  const s = studio.getState();
  if (!s.annotation) throw new Error('no video is open');
  const locked = kind.review ? null : readOnlyReason();
  if (locked) throw new EditError(locked);
  const before = s.annotation;
  const changed = edit(before, resolveOptions());
  const videoId = before.video.id;
  const status = kind.status && kind.status !== statusOf(videoId) ? { videoId, before: statusOf(videoId), after: kind.status } : undefined;
  if (changed === before && !status) return false;
  const after = changed.edited ? changed : { ...changed, edited: true };
  past.push({ label, before, after, ...(kind.review ? { review: true } : {}), ...(status ? { status } : {}) });
  if (past.length > LIMIT) past.shift();
  future = [];
  if (status) setStatus(videoId, status.after);
  show(after);
  return true;
}

/** Why the open video cannot be edited now, or null. */
export function readOnlyReason(): string | null {
  const s = studio.getState();
  const status = s.open ? (s.statuses[s.open.id] ?? s.open.status) : undefined;
  return status === 'submitted' || status === 'approved' ? `this video is ${status}: it is read-only until a reviewer returns it` : null;
}

export function undo(): string | null {
  if (readOnlyReason() && !past.at(-1)?.review) return null;
  const e = past.pop();
  if (!e) return null;
  future.push(e);
  if (e.status) setStatus(e.status.videoId, e.status.before);
  show(e.before);
  return e.label;
}

export function redo(): string | null {
  if (readOnlyReason() && !future.at(-1)?.review) return null;
  const e = future.pop();
  if (!e) return null;
  past.push(e);
  if (e.status) setStatus(e.status.videoId, e.status.after);
  show(e.after);
  return e.label;
}

export function historyInfo(): { undo: string | null; redo: string | null; depth: number } {
  return { undo: past.at(-1)?.label ?? null, redo: future.at(-1)?.label ?? null, depth: past.length };
}

export function resetHistory(): void {
  past = [];
  future = [];
}

function show(a: Annotation): void {
  const sel = studio.getState().selectedTrackId;
  const selectedTrackId = sel && a.tracks.some((t) => t.id === sel) ? sel : null;
  studio.setState({ annotation: a, selectedTrackId, historyVersion: studio.getState().historyVersion + 1 });
  // The stage repaints on annotation changes itself; without a stage (scripts) keep overlayFrame honest.
  if (studio.getState().overlayFrame !== studio.getState().frame) repaintOverlay();
  void persist(a);
}

// Autosave: what IndexedDB holds for the open video, and a queue so writes land in order.
let stored: Annotation | null = null;
let queue: Promise<void> = Promise.resolve();

/** Mark `a` as what is stored (just loaded), or null when nothing is. */
export function setStored(a: Annotation | null): void {
  stored = a;
}

/** Write `a` (only the tracks that differ from what is stored). Failures are shown by persistence. */
export function persist(a: Annotation): Promise<void> {
  queue = queue
    .then(async () => {
      await storeAnnotation(a, stored && stored.video.id === a.video.id ? stored : null);
      stored = a;
      const { counts, dataset } = studio.getState();
      studio.setState({ counts: { ...counts, [a.video.id]: { tracks: a.tracks.length, spans: a.spans.length } } });
      if (dataset) saveSoon(`counts:${dataset.url}`, studio.getState().counts);
    })
    .catch(() => undefined);
  return queue;
}

/** Resolves when every edit made so far is in IndexedDB (or has failed and been reported). */
export function saved(): Promise<void> {
  return queue;
}

/** After a storage failure: write everything pending again (the banner's "Retry saving"). */
export async function retrySaving(): Promise<void> {
  await flush().catch(() => undefined);
  const a = studio.getState().annotation;
  if (a) await persist(a);
}
