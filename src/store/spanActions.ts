import { addSpan, deleteSpan, mergeWithNext, moveSpan, setCaption, setSpanRange, splitSpan } from '../model/spanEdits';
import { EditError } from '../model/trackEdits';
import { blockingFlags, videoFlags, type VideoFlag } from '../model/videoFlags';
import type { Annotation } from '../model/types';
import { captionDraftKey, clearDraft } from './drafts';
import { registerActions, type Action } from './actionRegistry';
import { applyEdit, readOnlyReason } from './history';
import { flush } from './persistence';
import { seek, togglePlay } from './player';
import { setStatus } from './statuses';
import { motionKeys, sceneCamera } from './sceneMotion';
import { studio } from './studioStore';

/** Spans, captions, flags and submission, as registry actions (undoable where they edit). */

const canEdit = () => studio.getState().annotation !== null && studio.getState().video !== null;

function notice(text: string | null): void {
  studio.setState({ notice: text });
}

/** Run a span edit; a refusal (EditError) becomes a notice, not an exception. */
export function edit(label: string, fn: (a: Annotation) => Annotation, kind?: Parameters<typeof applyEdit>[2]): boolean {
  try {
    const changed = applyEdit(label, fn, kind);
    notice(changed ? null : `${label}: nothing to change`);
    return changed;
  } catch (e) {
    if (e instanceof EditError) {
      notice(`${label}: ${e.message}`);
      return false;
    }
    throw e;
  }
}

const flagCache = new WeakMap<Annotation, { camera: object | null; flags: VideoFlag[] }>();
/** The open video's flags (computed once per annotation state and camera view). */
export function currentFlags(): VideoFlag[] {
  const a = studio.getState().annotation;
  if (!a) return [];
  const camera = sceneCamera();
  let f = flagCache.get(a);
  if (!f || f.camera !== camera) {
    f = { camera, flags: videoFlags(a, motionKeys) };
    flagCache.set(a, f);
  }
  return f.flags;
}

function spanArg(args: unknown): string | null {
  const id = (args as { spanId?: string } | undefined)?.spanId ?? studio.getState().selectedSpanId;
  if (!id || !studio.getState().annotation?.spans.some((s) => s.id === id)) {
    notice('Select a span first (click it on the timeline, or Alt+↓).');
    return null;
  }
  return id;
}

/** Spans in time order (then by instance), for going span to span. */
function orderedSpans() {
  return [...(studio.getState().annotation?.spans ?? [])].sort((a, b) => a.start - b.start || a.trackId.localeCompare(b.trackId));
}

export function selectSpan(spanId: string | null, opts: { seekTo?: boolean; loop?: boolean } = {}): void {
  const s = spanId ? studio.getState().annotation?.spans.find((x) => x.id === spanId) : undefined;
  if (!s) {
    studio.setState({ selectedSpanId: null, loop: null });
    return;
  }
  const loop = opts.loop ?? studio.getState().loop !== null;
  studio.setState({ selectedSpanId: s.id, selectedTrackId: s.trackId, loop: loop ? { start: s.start, end: s.end } : null });
  if (opts.seekTo) void seek(s.start).catch(() => undefined);
}

function stepSpan(dir: 1 | -1): boolean {
  const list = orderedSpans();
  if (!list.length) {
    notice('This video has no spans yet: mark one with { and }.');
    return false;
  }
  const i = list.findIndex((s) => s.id === studio.getState().selectedSpanId);
  const next = list[i < 0 ? (dir > 0 ? 0 : list.length - 1) : (i + dir + list.length) % list.length]!;
  selectSpan(next.id, { seekTo: true });
  return true;
}

export const spanActions: Action[] = [
  {
    id: 'span.markIn',
    label: 'Span: mark in here',
    keys: ['{'],
    group: 'Spans',
    enabled: canEdit,
    perform: () => {
      const s = studio.getState();
      if (!s.selectedTrackId) return notice('Select an instance first, then mark its span.');
      studio.setState({ markIn: s.frame, notice: `Span of #${s.selectedTrackId} starts at ${s.frame}: go to its end and press }.` });
    },
  },
  {
    id: 'span.markOut',
    label: 'Span: mark out here (makes the span)',
    keys: ['}'],
    group: 'Spans',
    enabled: canEdit,
    perform: (args) => {
      const a0 = args as { trackId?: string; start?: number; end?: number; caption?: string } | undefined;
      const s = studio.getState();
      const trackId = a0?.trackId ?? s.selectedTrackId;
      const start = a0?.start ?? s.markIn;
      const end = a0?.end ?? s.frame;
      if (!trackId || start === null) return notice('Press { at the span\'s first frame first (with its instance selected).');
      let id = '';
      const ok = edit('Add span', (a) => {
        const next = addSpan(a, trackId, start, end, a0?.caption ?? '');
        id = next.spans.find((x) => !a.spans.includes(x))!.id;
        return next;
      });
      studio.setState({ markIn: null });
      if (ok) selectSpan(id);
      return ok ? id : false;
    },
  },
  {
    id: 'span.select',
    label: 'Select a span',
    group: 'Spans',
    enabled: canEdit,
    perform: (args) => selectSpan((args as { spanId?: string | null } | undefined)?.spanId ?? null, { seekTo: (args as { seek?: boolean } | undefined)?.seek }),
  },
  {
    id: 'span.editCaption',
    label: 'Edit the selected span’s caption (Enter saves, Escape drops)',
    keys: ['Enter'],
    group: 'Spans',
    enabled: canEdit,
    perform: () => {
      if (!studio.getState().selectedSpanId) {
        notice('Select a span first (Alt+↓ goes to the next one).');
        return false;
      }
      const locked = readOnlyReason();
      if (locked) {
        notice(locked);
        return false;
      }
      studio.setState((s) => ({ captionFocus: s.captionFocus + 1 }));
      return true;
    },
  },
  { id: 'span.next', label: 'Next span (and go to it)', keys: ['Alt+ArrowDown'], group: 'Spans', enabled: canEdit, perform: () => stepSpan(1) },
  { id: 'span.prev', label: 'Previous span (and go to it)', keys: ['Alt+ArrowUp'], group: 'Spans', enabled: canEdit, perform: () => stepSpan(-1) },
  {
    id: 'span.loop',
    label: 'Loop the selected span (toggle)',
    keys: ['L'],
    group: 'Spans',
    enabled: canEdit,
    perform: (args) => {
      const id = spanArg(args);
      if (!id) return false;
      const s = studio.getState();
      if (s.loop) {
        studio.setState({ loop: null });
        if (s.playing) togglePlay();
        return true;
      }
      selectSpan(id, { loop: true, seekTo: true });
      if (!studio.getState().playing) togglePlay();
      return true;
    },
  },
  {
    id: 'span.setRange',
    label: 'Set a span\'s start and end',
    group: 'Spans',
    enabled: canEdit,
    perform: (args) => {
      const a0 = args as { spanId?: string; start: number; end: number };
      const id = spanArg(a0);
      if (!id) return false;
      const ok = edit('Adjust span', (a) => setSpanRange(a, id, a0.start, a0.end));
      if (ok) selectSpan(id);
      return ok;
    },
  },
  {
    id: 'span.move',
    label: 'Move a span',
    group: 'Spans',
    enabled: canEdit,
    perform: (args) => {
      const a0 = args as { spanId?: string; by: number };
      const id = spanArg(a0);
      return id ? edit('Move span', (a) => moveSpan(a, id, a0.by)) : false;
    },
  },
  {
    id: 'span.split',
    label: 'Split the selected span here',
    keys: ['Alt+X'],
    group: 'Spans',
    enabled: canEdit,
    perform: (args) => {
      const id = spanArg(args);
      const f = (args as { frame?: number } | undefined)?.frame ?? studio.getState().frame;
      return id ? edit('Split span', (a) => splitSpan(a, id, f)) : false;
    },
  },
  {
    id: 'span.mergeNext',
    label: 'Merge the selected span with the next one',
    keys: ['Alt+J'],
    group: 'Spans',
    enabled: canEdit,
    perform: (args) => {
      const id = spanArg(args);
      return id ? edit('Merge spans', (a) => mergeWithNext(a, id)) : false;
    },
  },
  {
    id: 'span.delete',
    label: 'Delete the selected span',
    keys: ['Ctrl+Delete'],
    group: 'Spans',
    enabled: canEdit,
    perform: (args) => {
      const id = spanArg(args);
      if (!id) return false;
      const ok = edit('Delete span', (a) => deleteSpan(a, id));
      if (ok) studio.setState({ selectedSpanId: null, loop: null });
      return ok;
    },
  },
  {
    id: 'span.caption',
    label: 'Set the caption of a span',
    group: 'Spans',
    enabled: canEdit,
    perform: (args) => {
      const a0 = args as { spanId?: string; caption: string };
      const id = spanArg(a0);
      const ok = id ? edit('Edit caption', (a) => setCaption(a, id, a0.caption)) : false;
      const open = studio.getState().open;
      if (ok && id && open) clearDraft(captionDraftKey(open.id, id));
      return ok;
    },
  },
  {
    id: 'flag.dismiss',
    label: 'Dismiss a flag (with a reason)',
    group: 'Checks',
    enabled: canEdit,
    perform: (args) => {
      const { flagId, reason } = args as { flagId: string; reason: string };
      if (!reason?.trim()) return notice('Say why the flag is dismissed.');
      return edit('Dismiss flag', (a) => ({ ...a, dismissed: { ...a.dismissed, [flagId]: reason.trim() } }));
    },
  },
  {
    id: 'flag.restore',
    label: 'Restore a dismissed flag',
    group: 'Checks',
    enabled: canEdit,
    perform: (args) => {
      const { flagId } = args as { flagId: string };
      return edit('Restore flag', (a) => {
        if (!a.dismissed?.[flagId]) return a;
        const { [flagId]: _gone, ...rest } = a.dismissed;
        return { ...a, dismissed: rest };
      });
    },
  },
  {
    id: 'video.submit',
    label: 'Submit the video (when its checks pass or are dismissed)',
    keys: ['Ctrl+Enter'],
    group: 'Video',
    enabled: canEdit,
    perform: async () => {
      const s = studio.getState();
      if (!s.open) return false;
      const locked = readOnlyReason();
      if (locked) return notice(`Cannot submit: ${locked}.`);
      const open = blockingFlags(currentFlags());
      if (open.length) return notice(`Cannot submit: ${open.length} flag${open.length === 1 ? '' : 's'} to fix or dismiss.`);
      setStatus(s.open.id, 'submitted');
      studio.setState({ notice: 'Submitted: read-only until a reviewer returns it.', drawing: false });
      await flush();
      return true;
    },
  },
];

export function registerSpanActions(): void {
  registerActions(spanActions);
}
