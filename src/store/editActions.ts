import { boxAt, KEY_OUTSIDE } from '../model/keyframes';
import {
  addTrack,
  deleteKey,
  deleteTrack,
  EditError,
  mergeTracks,
  setCategory,
  setInterpolation,
  setKey,
  splitTrack,
  swapAfter,
  truncateTrack,
  type KeyPatch,
} from '../model/trackEdits';
import type { Box, Interpolation, Track } from '../model/types';
import { registerActions, type Action } from './actionRegistry';
import { applyEdit, redo, undo } from './history';
import { seek } from './player';
import { shownKeys } from './shownKeys';
import { studio } from './studioStore';

/**
 * Every correction a person makes, as registry actions: the shortcut, the `?` sheet, the buttons
 * and `studio.perform` all come through here, and each one is one undoable step.
 */

const canEdit = () => {
  const s = studio.getState();
  return s.annotation !== null && s.video !== null;
};

function notice(text: string | null): void {
  studio.setState({ notice: text });
}

/** Run an edit; a refusal (EditError) becomes a notice, not an exception. */
function edit(label: string, fn: Parameters<typeof applyEdit>[1]): boolean {
  try {
    const changed = applyEdit(label, fn);
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

function selected(args?: { trackId?: string }): Track | null {
  const s = studio.getState();
  const id = args?.trackId ?? s.selectedTrackId;
  const t = id ? s.annotation?.tracks.find((x) => x.id === id) : undefined;
  if (!t) {
    notice('Select an instance first (click its box or its row, or Tab).');
    return null;
  }
  return t;
}

function frameOf(args?: { frame?: number }): number {
  return args?.frame ?? studio.getState().frame;
}

function patchKey(label: string, args: ({ trackId?: string; frame?: number } & KeyPatch) | undefined, patch: KeyPatch): boolean {
  const t = selected(args);
  if (!t) return false;
  const f = frameOf(args);
  return edit(label, (a, o) => setKey(a, t.id, f, patch, o));
}

function nudge(dx: number, dy: number) {
  return (args?: { trackId?: string; frame?: number }) => {
    const t = selected(args);
    if (!t) return false;
    const f = frameOf(args);
    const st = boxAt(shownKeys(t), f);
    if (!st) {
      notice(`Instance #${t.id} is not shown at frame ${f}.`);
      return false;
    }
    const b = st.box;
    return patchKey('Nudge box', args, { box: [b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy] });
  };
}

function pair(): Track | null {
  const s = studio.getState();
  const t = s.pairTrackId ? s.annotation?.tracks.find((x) => x.id === s.pairTrackId) : undefined;
  if (!t || t.id === s.selectedTrackId) {
    notice('Choose a second instance with Ctrl+click (on its box or its row).');
    return null;
  }
  return t;
}

/** Frames of a track's people's/assisted keys and visibility changes, for key navigation. */
function landmarks(t: Track): number[] {
  const out = new Set<number>();
  const h = t.human;
  if (h) for (const f of h.frames) out.add(f);
  const keys = shownKeys(t);
  for (let i = 0; i < keys.frames.length; i++) {
    const fl = keys.flags[i]!;
    const prevOutside = i === 0 || (keys.flags[i - 1]! & KEY_OUTSIDE) !== 0;
    if ((fl >> 2) & 3 || (fl & KEY_OUTSIDE) !== 0 || prevOutside) out.add(keys.frames[i]!);
  }
  return [...out].sort((a, b) => a - b);
}

function jumpKey(dir: 1 | -1): Promise<number> | false {
  const t = selected();
  if (!t) return false;
  const f = studio.getState().frame;
  const marks = landmarks(t);
  const target = dir > 0 ? marks.find((m) => m > f) : [...marks].reverse().find((m) => m < f);
  if (target === undefined) {
    notice(`No ${dir > 0 ? 'later' : 'earlier'} keyframe on #${t.id}.`);
    return false;
  }
  return seek(target);
}

const arrows: Array<[string, string, number, number]> = [
  ['Left', 'ArrowLeft', -1, 0],
  ['Right', 'ArrowRight', 1, 0],
  ['Up', 'ArrowUp', 0, -1],
  ['Down', 'ArrowDown', 0, 1],
];

export const editActions: Action[] = [
  {
    id: 'edit.undo',
    label: 'Undo',
    keys: ['Ctrl+Z'],
    group: 'Edit',
    enabled: canEdit,
    perform: () => {
      const l = undo();
      notice(l ? `Undid: ${l}` : 'Nothing to undo.');
      return l;
    },
  },
  {
    id: 'edit.redo',
    label: 'Redo',
    keys: ['Ctrl+Shift+Z', 'Ctrl+Y'],
    group: 'Edit',
    enabled: canEdit,
    perform: () => {
      const l = redo();
      notice(l ? `Redid: ${l}` : 'Nothing to redo.');
      return l;
    },
  },
  {
    id: 'track.select',
    label: 'Select an instance',
    group: 'Instances',
    enabled: canEdit,
    perform: (args) => {
      const { trackId = null, pair: asPair = false } = (args ?? {}) as { trackId?: string | null; pair?: boolean };
      if (asPair) studio.setState((s) => ({ pairTrackId: s.pairTrackId === trackId ? null : trackId }));
      else studio.setState({ selectedTrackId: trackId, pairTrackId: studio.getState().pairTrackId === trackId ? null : studio.getState().pairTrackId });
    },
  },
  {
    id: 'track.deselect',
    label: 'Close the sheet / deselect / stop drawing',
    keys: ['Escape'],
    group: 'Instances',
    // With the shortcut sheet open, Escape only closes it.
    perform: () =>
      studio.getState().helpOpen
        ? studio.setState({ helpOpen: false })
        : studio.setState({ selectedTrackId: null, pairTrackId: null, drawing: false, notice: null, markIn: null }),
  },
  {
    id: 'box.set',
    label: 'Set the box (drag or resize)',
    group: 'Boxes',
    enabled: canEdit,
    perform: (args) => {
      const a = args as { trackId?: string; frame?: number; box: Box };
      return patchKey('Move box', a, { box: a.box });
    },
  },
  ...arrows.flatMap(([name, key, dx, dy]): Action[] => [
    { id: `box.nudge${name}`, label: `Nudge box ${name.toLowerCase()} 1 px`, keys: [key], group: 'Boxes', enabled: canEdit, perform: nudge(dx, dy) as Action['perform'] },
    {
      id: `box.nudge${name}10`,
      label: `Nudge box ${name.toLowerCase()} 10 px`,
      keys: [`Shift+${key}`],
      group: 'Boxes',
      enabled: canEdit,
      perform: nudge(dx * 10, dy * 10) as Action['perform'],
    },
  ]),
  {
    id: 'key.set',
    label: 'Keyframe here (keep the box as shown)',
    keys: ['K'],
    group: 'Keyframes',
    enabled: canEdit,
    perform: (args) => patchKey('Add keyframe', args as { trackId?: string; frame?: number }, {}),
  },
  {
    id: 'key.delete',
    label: 'Delete the keyframe here',
    keys: ['Shift+K'],
    group: 'Keyframes',
    enabled: canEdit,
    perform: (args) => {
      const t = selected(args as { trackId?: string });
      if (!t) return false;
      const f = frameOf(args as { frame?: number });
      return edit('Delete keyframe', (a) => deleteKey(a, t.id, f));
    },
  },
  { id: 'key.prev', label: 'Previous keyframe or visibility change', keys: [','], group: 'Keyframes', enabled: canEdit, perform: () => jumpKey(-1) },
  { id: 'key.next', label: 'Next keyframe or visibility change', keys: ['.'], group: 'Keyframes', enabled: canEdit, perform: () => jumpKey(1) },
  {
    id: 'track.outside',
    label: 'Outside from here on (toggle)',
    keys: ['O'],
    group: 'Visibility',
    enabled: canEdit,
    perform: (args) => {
      const t = selected(args as { trackId?: string });
      if (!t) return false;
      const shown = boxAt(shownKeys(t), frameOf(args as { frame?: number })) !== null;
      return patchKey(shown ? 'Mark outside' : 'Mark visible', args as { trackId?: string; frame?: number }, { outside: shown });
    },
  },
  {
    id: 'track.occluded',
    label: 'Occluded from here on (toggle)',
    keys: ['Q'],
    group: 'Visibility',
    enabled: canEdit,
    perform: (args) => {
      const t = selected(args as { trackId?: string });
      if (!t) return false;
      const st = boxAt(shownKeys(t), frameOf(args as { frame?: number }));
      return patchKey(st?.occluded ? 'Mark not occluded' : 'Mark occluded', args as { trackId?: string; frame?: number }, { occluded: !st?.occluded });
    },
  },
  {
    id: 'track.split',
    label: 'Split the instance here',
    keys: ['Alt+S'],
    group: 'Identity',
    enabled: canEdit,
    perform: (args) => {
      const t = selected(args as { trackId?: string });
      if (!t) return false;
      const f = frameOf(args as { frame?: number });
      return edit('Split instance', (a) => splitTrack(a, t.id, f));
    },
  },
  {
    id: 'track.swap',
    label: 'Swap identities from here on (selected ↔ Ctrl+clicked)',
    keys: ['Alt+W'],
    group: 'Identity',
    enabled: canEdit,
    perform: (args) => {
      const a0 = args as { trackId?: string; otherId?: string; frame?: number } | undefined;
      const t = selected(a0);
      const o = a0?.otherId ? studio.getState().annotation?.tracks.find((x) => x.id === a0.otherId) ?? null : pair();
      if (!t || !o) return false;
      const f = frameOf(a0);
      return edit('Swap identities', (a) => swapAfter(a, t.id, o.id, f));
    },
  },
  {
    id: 'track.merge',
    label: 'Merge the Ctrl+clicked instance into the selected one',
    keys: ['M'],
    group: 'Identity',
    enabled: canEdit,
    perform: (args) => {
      const a0 = args as { trackId?: string; otherId?: string } | undefined;
      const t = selected(a0);
      const o = a0?.otherId ? studio.getState().annotation?.tracks.find((x) => x.id === a0.otherId) ?? null : pair();
      if (!t || !o) return false;
      const ok = edit('Merge instances', (a, opts) => mergeTracks(a, t.id, o.id, opts));
      if (ok) studio.setState({ pairTrackId: null });
      return ok;
    },
  },
  {
    id: 'track.category',
    label: 'Change category',
    group: 'Identity',
    enabled: canEdit,
    perform: (args) => {
      const a0 = args as { trackId?: string; category: string };
      const t = selected(a0);
      if (!t) return false;
      return edit('Change category', (a) => setCategory(a, t.id, a0.category));
    },
  },
  {
    id: 'track.interpolation',
    label: 'Corrections: fading / linear (toggle)',
    group: 'Keyframes',
    enabled: canEdit,
    perform: (args) => {
      const a0 = args as { trackId?: string; mode?: Interpolation } | undefined;
      const t = selected(a0);
      if (!t) return false;
      const mode = a0?.mode ?? ((t.interpolation ?? 'fade') === 'fade' ? 'linear' : 'fade');
      return edit(mode === 'linear' ? 'Linear interpolation' : 'Fading corrections', (a) => setInterpolation(a, t.id, mode));
    },
  },
  {
    id: 'track.draw',
    label: 'Draw a new instance (then drag on the picture)',
    keys: ['N'],
    group: 'Instances',
    enabled: canEdit,
    perform: () => studio.setState((s) => ({ drawing: !s.drawing, notice: s.drawing ? null : 'Drag on the picture to draw the new instance (Esc cancels).' })),
  },
  {
    id: 'track.add',
    label: 'Add an instance',
    group: 'Instances',
    enabled: canEdit,
    perform: (args) => {
      const a0 = args as { category?: string; box: Box; frame?: number; id?: string };
      const s = studio.getState();
      const sel = s.selectedTrackId ? s.annotation?.tracks.find((t) => t.id === s.selectedTrackId) : undefined;
      const category = a0.category ?? sel?.category ?? s.annotation?.tags[0]?.category ?? 'object';
      let id = '';
      const ok = edit('Add instance', (a) => {
        const next = addTrack(a, category, frameOf(a0), a0.box, a0.id);
        id = next.tracks.at(-1)!.id;
        return next;
      });
      if (ok) studio.setState({ selectedTrackId: id, drawing: false });
      return ok ? id : false;
    },
  },
  {
    id: 'track.delete',
    label: 'Delete the instance',
    keys: ['Delete'],
    group: 'Instances',
    enabled: canEdit,
    perform: (args) => {
      const t = selected(args as { trackId?: string });
      if (!t) return false;
      return edit('Delete instance', (a) => deleteTrack(a, t.id));
    },
  },
  {
    id: 'track.deleteRest',
    label: 'Delete the rest of the instance from here',
    keys: ['Shift+Delete'],
    group: 'Instances',
    enabled: canEdit,
    perform: (args) => {
      const t = selected(args as { trackId?: string });
      if (!t) return false;
      const f = frameOf(args as { frame?: number });
      return edit('Delete rest of instance', (a) => truncateTrack(a, t.id, f));
    },
  },
];

export function registerEditActions(): void {
  registerActions(editActions);
}
