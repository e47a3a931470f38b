/**
 * What an imported Annotation guarantees, whichever reader made it (test utility). A reader that
 * returns instead of throwing a FormatError must return something the rest of the app can rely on
 * without checking again:
 *
 *   - video: width, height, fps finite and > 0; frameCount an integer in [1, MAX_FRAME_COUNT]
 *     (frames live in Int32Arrays);
 *   - tracks: non-empty, unique ids; keyframe tables with matching lengths; frames strictly
 *     increasing integers; a visible keyframe in [0, frameCount); an outside keyframe in
 *     [0, frameCount] (the one closing a track that runs to the last frame sits at frameCount);
 *     boxes finite (as stored, in float32) with x1 ≤ x2 and y1 ≤ y2 (a zero-size box is a point
 *     the model gave, not an inverted one); scores NaN (none) or finite; flags only the known bits;
 *   - spans: unique ids, trackId naming a track, integers 0 ≤ start ≤ end < frameCount;
 *   - tags: string categories, finite scores.
 *
 * assertAnnotationInvariants throws an Error saying which one is broken and where.
 */

import type { Annotation, KeyframeTable } from '../../model/types';
import { MAX_FRAME_COUNT } from '../proposals';

export { MAX_FRAME_COUNT };

/** KEY_OUTSIDE | KEY_OCCLUDED | the two source bits; source 3 is unused. */
const KNOWN_FLAGS = 0b1111;

function fail(msg: string): never {
  throw new Error(`invariant broken: ${msg}`);
}

const positiveFinite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;

export function assertKeyframeInvariants(keys: KeyframeTable, frameCount: number, where: string): void {
  const { frames, boxes, flags, scores } = keys;
  const n = frames.length;
  if (boxes.length !== 4 * n || flags.length !== n || scores.length !== n) {
    fail(`${where}: table lengths frames ${n}, boxes ${boxes.length}, flags ${flags.length}, scores ${scores.length}`);
  }
  for (let i = 0; i < n; i++) {
    const f = frames[i]!;
    const outside = (flags[i]! & 1) !== 0;
    if (i > 0 && !(f > frames[i - 1]!)) fail(`${where}: frame ${f} at key ${i} does not follow ${frames[i - 1]!}`);
    if (f < 0 || f > frameCount || (!outside && f === frameCount)) fail(`${where}: key ${i} at frame ${f} outside [0, ${frameCount})${outside ? ' (outside key)' : ''}`);
    const x1 = boxes[4 * i]!;
    const y1 = boxes[4 * i + 1]!;
    const x2 = boxes[4 * i + 2]!;
    const y2 = boxes[4 * i + 3]!;
    if (![x1, y1, x2, y2].every(Number.isFinite)) fail(`${where}: key ${i} (frame ${f}) box [${x1}, ${y1}, ${x2}, ${y2}] is not finite`);
    if (!(x1 <= x2 && y1 <= y2)) fail(`${where}: key ${i} (frame ${f}) box [${x1}, ${y1}, ${x2}, ${y2}] is inverted`);
    const s = scores[i]!;
    if (!Number.isNaN(s) && !Number.isFinite(s)) fail(`${where}: key ${i} (frame ${f}) score ${s}`);
    const fl = flags[i]!;
    if ((fl & ~KNOWN_FLAGS) !== 0 || (fl >> 2) === 3) fail(`${where}: key ${i} (frame ${f}) flags ${fl}`);
  }
}

export function assertAnnotationInvariants(a: Annotation): void {
  const v = a.video;
  if (typeof v.id !== 'string') fail(`video.id ${String(v.id)} is not a string`);
  if (typeof v.src !== 'string') fail(`video.src ${String(v.src)} is not a string`);
  for (const k of ['width', 'height', 'fps'] as const) if (!positiveFinite(v[k])) fail(`video.${k} is ${v[k]}`);
  const fc = v.frameCount;
  if (!Number.isInteger(fc) || fc < 1 || fc > MAX_FRAME_COUNT) fail(`video.frameCount is ${fc}`);
  for (const [i, t] of a.tags.entries()) {
    if (typeof t.category !== 'string') fail(`tags[${i}].category is not a string`);
    if (t.score !== undefined && !Number.isFinite(t.score)) fail(`tags[${i}].score is ${t.score}`);
  }
  const ids = new Set<string>();
  for (const t of a.tracks) {
    if (typeof t.id !== 'string' || t.id === '') fail(`track id ${JSON.stringify(t.id)}`);
    if (ids.has(t.id)) fail(`duplicate track id ${JSON.stringify(t.id)}`);
    ids.add(t.id);
    if (typeof t.category !== 'string') fail(`track ${t.id}: category is not a string`);
    if (t.score !== undefined && !Number.isFinite(t.score)) fail(`track ${t.id}: score is ${t.score}`);
    assertKeyframeInvariants(t.keys, fc, `track ${t.id} keys`);
    if (t.human) assertKeyframeInvariants(t.human, fc, `track ${t.id} human keys`);
  }
  const spanIds = new Set<string>();
  for (const s of a.spans) {
    if (spanIds.has(s.id)) fail(`duplicate span id ${JSON.stringify(s.id)}`);
    spanIds.add(s.id);
    if (!ids.has(s.trackId)) fail(`span ${s.id}: track ${JSON.stringify(s.trackId)} does not exist`);
    if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.start > s.end || s.end >= fc) {
      fail(`span ${s.id}: [${s.start}, ${s.end}] is not within [0, ${fc})`);
    }
    if (typeof s.caption !== 'string' || typeof s.modelCaption !== 'string') fail(`span ${s.id}: caption is not a string`);
  }
}
