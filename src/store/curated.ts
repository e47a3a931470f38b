import { defaultReach, effectiveKeys } from '../model/corrections';
import type { Annotation, KeyframeTable, Track } from '../model/types';
import { loadAnnotation } from './annotationStore';
import { shownKeys } from './shownKeys';
import { studio } from './studioStore';
import { loadTiming, timingOf, type SavedTiming } from './timings';

/**
 * One video's curated annotation as the review queue and the export see it: the open video's
 * live state when it is open, else what IndexedDB holds, with the boxes people see (corrections
 * applied with the reach of the video's own frame rate, so fingerprints match the open view).
 */
export interface Curated {
  annotation: Annotation;
  keysOf: (t: Track) => KeyframeTable;
  timing: SavedTiming;
}

export async function loadCurated(videoId: string): Promise<Curated | null> {
  const s = studio.getState();
  if (s.open?.id === videoId && s.annotation && s.video) {
    return { annotation: s.annotation, keysOf: shownKeys, timing: { ...timingOf(s.video.timestamps, s.video.fps), fps: s.video.fps, nominal: false } };
  }
  const annotation = await loadAnnotation(videoId);
  if (!annotation) return null;
  const timing = await loadTiming(annotation.video);
  const reach = defaultReach(timing.fps);
  return { annotation, keysOf: (t) => effectiveKeys(t, { reach }), timing };
}
