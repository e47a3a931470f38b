import { boxAt, keyframesFromList, keyList } from './keyframes';
import { EditError, normalizeBox } from './trackEdits';
import type { Annotation, Box, Keyframe, KeyframeTable } from './types';

/**
 * Boxes propagated by the encoder ("re-track from here") become `assisted` keyframes in the track's
 * model table: they replace the model's keys over the stretch they cover, one per frame, so the
 * stretch shows the propagation and people's later corrections carry onto it like onto a proposal.
 */
export interface AssistedBox {
  frame: number;
  box: Box;
  /** The tracker's confidence, kept as the keyframe's score. */
  confidence: number;
}

export function applyAssisted(a: Annotation, trackId: string, boxes: readonly AssistedBox[]): Annotation {
  const ti = a.tracks.findIndex((t) => t.id === trackId);
  if (ti < 0) throw new EditError(`no instance "${trackId}"`);
  if (boxes.length === 0) return a;
  const sorted = [...boxes].sort((p, q) => p.frame - q.frame);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.frame !== sorted[i - 1]!.frame + 1) throw new EditError('assisted boxes must cover consecutive frames');
  }
  const first = sorted[0]!.frame;
  const last = sorted[sorted.length - 1]!.frame;
  const t = a.tracks[ti]!;
  const tracks = a.tracks.slice();
  tracks[ti] = { ...t, keys: replaceStretch(t.keys, first, last, sorted, a) };
  return { ...a, tracks };
}

function replaceStretch(keys: KeyframeTable, first: number, last: number, boxes: readonly AssistedBox[], a: Annotation): KeyframeTable {
  const old = keyList(keys);
  const kept = old.filter((k) => k.frame < first || k.frame > last);
  // What the model showed on either side must still hold there: pin it with a key at first−1 and
  // at last+1 (interpolated boxes would otherwise be re-interpolated towards the new stretch).
  for (const f of [first - 1, last + 1]) {
    if (f < 0 || f >= a.video.frameCount || old.some((k) => k.frame === f)) continue;
    const st = boxAt(keys, f);
    if (st) kept.push({ frame: f, box: st.box, outside: false, occluded: st.occluded, source: st.source });
    else if (f === last + 1) kept.push({ frame: f, box: [0, 0, 1, 1], outside: true, occluded: false, source: 'model' });
  }
  const assisted: Keyframe[] = boxes.map((b) => ({
    frame: b.frame,
    box: normalizeBox(b.box, a.video.width, a.video.height),
    outside: false,
    occluded: false,
    source: 'assisted',
    score: b.confidence,
  }));
  return keyframesFromList([...kept, ...assisted]);
}
