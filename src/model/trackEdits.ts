import { effectiveKeys, humanKeyIndex, type ResolveOptions } from './corrections';
import { boxAt, emptyKeys, KEY_OCCLUDED, KEY_OUTSIDE, keyIndexAtOrBefore, sourceBits, sourceOf } from './keyframes';
import type { Annotation, Box, Interpolation, KeyframeTable, Span, Track } from './types';

/**
 * Pure edits of an annotation. Each returns a new Annotation (tracks and tables are never mutated),
 * so undo is exact: the previous object is the previous state.
 */

export class EditError extends Error {}

export interface KeyPatch {
  box?: Box;
  outside?: boolean;
  occluded?: boolean;
}

function trackIndex(a: Annotation, id: string): number {
  const i = a.tracks.findIndex((t) => t.id === id);
  if (i < 0) throw new EditError(`no instance "${id}"`);
  return i;
}

function withTrack(a: Annotation, t: Track): Annotation {
  const i = trackIndex(a, t.id);
  const tracks = a.tracks.slice();
  tracks[i] = t;
  return { ...a, tracks };
}

export function normalizeBox(b: Readonly<Box>, width: number, height: number): Box {
  const x1 = Math.min(b[0], b[2]);
  const x2 = Math.max(b[0], b[2]);
  const y1 = Math.min(b[1], b[3]);
  const y2 = Math.max(b[1], b[3]);
  // Boxes may leave the frame a little (objects do), but never collapse or fly away.
  const cx = (v: number) => Math.max(-width, Math.min(2 * width, v));
  const cy = (v: number) => Math.max(-height, Math.min(2 * height, v));
  const out: Box = [cx(x1), cy(y1), cx(x2), cy(y2)];
  if (out[2] - out[0] < 1) out[2] = out[0] + 1;
  if (out[3] - out[1] < 1) out[3] = out[1] + 1;
  return out;
}

/** Insert or replace one key in a table (sorted by frame). */
function putKey(t: KeyframeTable, frame: number, box: ArrayLike<number>, flags: number, score = NaN): KeyframeTable {
  const i = keyIndexAtOrBefore(t, frame);
  const replace = i >= 0 && t.frames[i] === frame;
  const at = replace ? i : i + 1;
  const n = t.frames.length + (replace ? 0 : 1);
  const out = { frames: new Int32Array(n), boxes: new Float32Array(n * 4), flags: new Uint8Array(n), scores: new Float32Array(n) };
  const copy = (src: number, dst: number, count: number) => {
    out.frames.set(t.frames.subarray(src, src + count), dst);
    out.boxes.set(t.boxes.subarray(src * 4, (src + count) * 4), dst * 4);
    out.flags.set(t.flags.subarray(src, src + count), dst);
    out.scores.set(t.scores.subarray(src, src + count), dst);
  };
  copy(0, 0, at);
  out.frames[at] = frame;
  out.boxes.set([box[0]!, box[1]!, box[2]!, box[3]!], at * 4);
  out.flags[at] = flags;
  out.scores[at] = score;
  const rest = t.frames.length - (replace ? at + 1 : at);
  copy(replace ? at + 1 : at, at + 1, rest);
  return out;
}

function removeKeyAt(t: KeyframeTable, i: number): KeyframeTable {
  const n = t.frames.length - 1;
  const out = { frames: new Int32Array(n), boxes: new Float32Array(n * 4), flags: new Uint8Array(n), scores: new Float32Array(n) };
  out.frames.set(t.frames.subarray(0, i));
  out.frames.set(t.frames.subarray(i + 1), i);
  out.boxes.set(t.boxes.subarray(0, i * 4));
  out.boxes.set(t.boxes.subarray((i + 1) * 4), i * 4);
  out.flags.set(t.flags.subarray(0, i));
  out.flags.set(t.flags.subarray(i + 1), i);
  out.scores.set(t.scores.subarray(0, i));
  out.scores.set(t.scores.subarray(i + 1), i);
  return out;
}

/**
 * Set a human keyframe at `frame`: the patch applied to what is shown there now. Marking a frame
 * outside where nothing is shown still records the key (the instance stays hidden from here on).
 */
export function setKey(a: Annotation, trackId: string, frame: number, patch: KeyPatch, opts: ResolveOptions): Annotation {
  const t = a.tracks[trackIndex(a, trackId)]!;
  const shown = boxAt(effectiveKeys(t, opts), frame);
  const box = patch.box ? normalizeBox(patch.box, a.video.width, a.video.height) : shown?.box ?? lastBoxBefore(t, frame, opts);
  if (!box) throw new EditError(`instance "${trackId}" has no box at frame ${frame} to change; draw one`);
  const outside = patch.outside ?? (patch.box ? false : !shown);
  const occluded = patch.occluded ?? shown?.occluded ?? false;
  const flags = sourceBits('human') | (outside ? KEY_OUTSIDE : 0) | (occluded ? KEY_OCCLUDED : 0);
  const human = putKey(t.human ?? emptyKeys(), frame, box, flags);
  return withTrack(a, { ...t, human });
}

function lastBoxBefore(t: Track, frame: number, opts: ResolveOptions): Box | null {
  const eff = effectiveKeys(t, opts);
  for (let i = keyIndexAtOrBefore(eff, frame); i >= 0; i--) {
    if (!(eff.flags[i]! & KEY_OUTSIDE)) return Array.from(eff.boxes.subarray(i * 4, i * 4 + 4)) as Box;
  }
  return null;
}

/** Delete the keyframe at `frame`: a person's if there is one, else the model's. */
export function deleteKey(a: Annotation, trackId: string, frame: number): Annotation {
  const t = a.tracks[trackIndex(a, trackId)]!;
  const hi = humanKeyIndex(t, frame);
  if (hi >= 0) return withTrack(a, { ...t, human: removeKeyAt(t.human!, hi) });
  const bi = keyIndexAtOrBefore(t.keys, frame);
  if (bi >= 0 && t.keys.frames[bi] === frame) return withTrack(a, { ...t, keys: removeKeyAt(t.keys, bi) });
  throw new EditError(`instance "${trackId}" has no keyframe at frame ${frame}`);
}

export function setInterpolation(a: Annotation, trackId: string, mode: Interpolation): Annotation {
  const t = a.tracks[trackIndex(a, trackId)]!;
  return withTrack(a, { ...t, interpolation: mode });
}

export function setCategory(a: Annotation, trackId: string, category: string): Annotation {
  const c = category.trim();
  if (!c) throw new EditError('a category cannot be empty');
  const t = a.tracks[trackIndex(a, trackId)]!;
  return withTrack(a, { ...t, category: c });
}

/** A new id: one more than the largest numeric id, else the first free "n". */
export function nextTrackId(a: Annotation): string {
  let max = 0;
  for (const t of a.tracks) if (/^\d+$/.test(t.id)) max = Math.max(max, Number(t.id));
  const ids = new Set(a.tracks.map((t) => t.id));
  let n = max + 1;
  while (ids.has(String(n))) n++;
  return String(n);
}

/** A new instance drawn by a person at `frame`. */
export function addTrack(a: Annotation, category: string, frame: number, box: Box, id = nextTrackId(a)): Annotation {
  if (a.tracks.some((t) => t.id === id)) throw new EditError(`instance "${id}" exists`);
  const c = category.trim();
  if (!c) throw new EditError('a category cannot be empty');
  const human = putKey(emptyKeys(), frame, normalizeBox(box, a.video.width, a.video.height), sourceBits('human'));
  const t: Track = { id, category: c, provenance: 'human', keys: emptyKeys(), human };
  return { ...a, tracks: [...a.tracks, t] };
}

export function deleteTrack(a: Annotation, trackId: string): Annotation {
  trackIndex(a, trackId);
  return { ...a, tracks: a.tracks.filter((t) => t.id !== trackId), spans: a.spans.filter((s) => s.trackId !== trackId) };
}

/**
 * The keys of one table restricted to [from, to): a key is added at `from` with the state shown
 * there (so the part starts where it was), and an outside key at `to` if it was visible just before.
 */
function cutTable(t: KeyframeTable, from: number, to: number, shown: KeyframeTable | null): KeyframeTable {
  const frames: number[] = [];
  const boxes: number[] = [];
  const flags: number[] = [];
  const scores: number[] = [];
  const push = (f: number, b: ArrayLike<number>, fl: number, s: number) => {
    frames.push(f);
    boxes.push(b[0]!, b[1]!, b[2]!, b[3]!);
    flags.push(fl);
    scores.push(s);
  };
  if (shown && Number.isFinite(from)) {
    const i = keyIndexAtOrBefore(t, from);
    if (!(i >= 0 && t.frames[i] === from)) {
      const st = boxAt(shown, from);
      if (st) push(from, st.box, sourceBits(st.source) | (st.occluded ? KEY_OCCLUDED : 0), NaN);
    }
  }
  let lastVisible: number[] | null = null;
  let lastFlags = 0;
  for (let i = 0; i < t.frames.length; i++) {
    const f = t.frames[i]!;
    if (f < from || f >= to) continue;
    const b = t.boxes.subarray(i * 4, i * 4 + 4);
    push(f, b, t.flags[i]!, t.scores[i]!);
    lastFlags = t.flags[i]!;
    lastVisible = lastFlags & KEY_OUTSIDE ? null : Array.from(b);
  }
  if (Number.isFinite(to) && shown) {
    const st = boxAt(shown, to - 1);
    if (st && frames.length) push(to, lastVisible ?? st.box, (lastFlags & ~KEY_OUTSIDE & ~KEY_OCCLUDED) | KEY_OUTSIDE, NaN);
  }
  return { frames: Int32Array.from(frames), boxes: Float32Array.from(boxes), flags: Uint8Array.from(flags), scores: Float32Array.from(scores) };
}

function cutTrack(t: Track, from: number, to: number): Pick<Track, 'keys' | 'human'> {
  const human = t.human && t.human.frames.length ? cutTable(t.human, from, to, null) : undefined;
  // The model part keeps its own shape at the cut (the person's correction stays in `human`).
  const keys = cutTable(t.keys, from, to, t.keys.frames.length ? t.keys : null);
  return human && human.frames.length ? { keys, human } : { keys };
}

function concatTables(a: KeyframeTable, b: KeyframeTable): KeyframeTable {
  // Drop a's closing outside key where b starts at the same frame.
  let na = a.frames.length;
  if (na && b.frames.length && a.frames[na - 1]! >= b.frames[0]!) na--;
  const n = na + b.frames.length;
  const out = { frames: new Int32Array(n), boxes: new Float32Array(n * 4), flags: new Uint8Array(n), scores: new Float32Array(n) };
  out.frames.set(a.frames.subarray(0, na));
  out.frames.set(b.frames, na);
  out.boxes.set(a.boxes.subarray(0, na * 4));
  out.boxes.set(b.boxes, na * 4);
  out.flags.set(a.flags.subarray(0, na));
  out.flags.set(b.flags, na);
  out.scores.set(a.scores.subarray(0, na));
  out.scores.set(b.scores, na);
  return out;
}

function joinParts(p: Pick<Track, 'keys' | 'human'>, q: Pick<Track, 'keys' | 'human'>): Pick<Track, 'keys' | 'human'> {
  const keys = concatTables(p.keys, q.keys);
  const human = p.human || q.human ? concatTables(p.human ?? emptyKeys(), q.human ?? emptyKeys()) : undefined;
  return human && human.frames.length ? { keys, human } : { keys };
}

function hasVisible(part: Pick<Track, 'keys' | 'human'>): boolean {
  for (const t of [part.keys, part.human]) if (t) for (let i = 0; i < t.flags.length; i++) if (!(t.flags[i]! & KEY_OUTSIDE)) return true;
  return false;
}

/** Split a track at `frame`: frames from `frame` on become a new instance. Later spans follow. */
export function splitTrack(a: Annotation, trackId: string, frame: number, newId = nextTrackId(a)): Annotation {
  const i = trackIndex(a, trackId);
  const t = a.tracks[i]!;
  const head = cutTrack(t, -Infinity, frame);
  const tail = cutTrack(t, frame, Infinity);
  if (!hasVisible(head) || !hasVisible(tail)) throw new EditError(`instance "${trackId}" is not visible on both sides of frame ${frame}`);
  const tracks = a.tracks.slice();
  tracks[i] = { ...t, ...withoutHuman(head) };
  tracks.splice(i + 1, 0, { ...t, id: newId, ...withoutHuman(tail) });
  const spans = a.spans.map((s) => (s.trackId === trackId && s.start >= frame ? { ...s, trackId: newId } : s));
  return { ...a, tracks, spans };
}

function withoutHuman(p: Pick<Track, 'keys' | 'human'>): Pick<Track, 'keys' | 'human'> {
  return p.human ? p : { keys: p.keys, human: undefined };
}

/** Swap the identities of two tracks from `frame` on: the fix for a switch at a crossing. */
export function swapAfter(a: Annotation, idA: string, idB: string, frame: number): Annotation {
  if (idA === idB) throw new EditError('choose two different instances to swap');
  const ia = trackIndex(a, idA);
  const ib = trackIndex(a, idB);
  const ta = a.tracks[ia]!;
  const tb = a.tracks[ib]!;
  const na = joinParts(cutTrack(ta, -Infinity, frame), cutTrack(tb, frame, Infinity));
  const nb = joinParts(cutTrack(tb, -Infinity, frame), cutTrack(ta, frame, Infinity));
  const tracks = a.tracks.slice();
  tracks[ia] = { ...ta, ...withoutHuman(na) };
  tracks[ib] = { ...tb, ...withoutHuman(nb) };
  const spans = a.spans.map((s): Span => {
    if (s.start < frame) return s;
    if (s.trackId === idA) return { ...s, trackId: idB };
    if (s.trackId === idB) return { ...s, trackId: idA };
    return s;
  });
  return { ...a, tracks, spans };
}

/** Delete the rest of a track from `frame` on (the tracker followed something else). */
export function truncateTrack(a: Annotation, trackId: string, frame: number): Annotation {
  const t = a.tracks[trackIndex(a, trackId)]!;
  const head = cutTrack(t, -Infinity, frame);
  if (!hasVisible(head)) return deleteTrack(a, trackId);
  return { ...withTrack(a, { ...t, ...withoutHuman(head) }), spans: a.spans.filter((s) => s.trackId !== trackId || s.start < frame) };
}

/**
 * Merge track `b` into `a`: where `a` is shown it wins, elsewhere `b`'s boxes fill in. The result
 * is written as `a`'s keys as shown (people's keys stay people's); `b` and its spans go to `a`.
 */
export function mergeTracks(a: Annotation, idA: string, idB: string, opts: ResolveOptions): Annotation {
  if (idA === idB) throw new EditError('choose two different instances to merge');
  const ta = a.tracks[trackIndex(a, idA)]!;
  const tb = a.tracks[trackIndex(a, idB)]!;
  const ea = effectiveKeys(ta, opts);
  const eb = effectiveKeys(tb, opts);
  const frames = [...new Set([...ea.frames, ...eb.frames])].sort((x, y) => x - y);
  const base: Array<[number, Box, number, number]> = [];
  const human: Array<[number, Box, number]> = [];
  let wasVisible = false;
  let last: Box | null = null;
  for (const f of frames) {
    const sa = boxAt(ea, f);
    const from = sa ? ea : eb;
    const st = sa ?? boxAt(eb, f);
    if (!st) {
      if (wasVisible && last) base.push([f, last, KEY_OUTSIDE, NaN]);
      wasVisible = false;
      continue;
    }
    const i = keyIndexAtOrBefore(from, f);
    const isKey = i >= 0 && from.frames[i] === f;
    const src = isKey ? sourceOf(from.flags[i]!) : 'model';
    const fl = sourceBits(src) | (st.occluded ? KEY_OCCLUDED : 0);
    if (src === 'human') human.push([f, st.box, fl]);
    else base.push([f, st.box, fl, st.score ?? NaN]);
    wasVisible = true;
    last = st.box;
  }
  const keys = tableOf(base.map(([f, b, fl, s]) => [f, b, fl, s]));
  const hk = tableOf(human.map(([f, b, fl]) => [f, b, fl, NaN]));
  const merged: Track = { ...ta, keys, human: hk.frames.length ? hk : undefined };
  const tracks = a.tracks.filter((t) => t.id !== idB).map((t) => (t.id === idA ? merged : t));
  const spans = a.spans.map((s) => (s.trackId === idB ? { ...s, trackId: idA } : s));
  return { ...a, tracks, spans };
}

function tableOf(rows: Array<[number, ArrayLike<number>, number, number]>): KeyframeTable {
  const n = rows.length;
  const out = { frames: new Int32Array(n), boxes: new Float32Array(n * 4), flags: new Uint8Array(n), scores: new Float32Array(n) };
  rows.forEach(([f, b, fl, s], i) => {
    out.frames[i] = f;
    out.boxes.set([b[0]!, b[1]!, b[2]!, b[3]!], i * 4);
    out.flags[i] = fl;
    out.scores[i] = s;
  });
  return out;
}
