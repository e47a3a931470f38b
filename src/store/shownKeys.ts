import { defaultReach, effectiveKeys, type ResolveOptions } from '../model/corrections';
import type { KeyframeTable, Track } from '../model/types';
import { studio } from './studioStore';

export function resolveOptions(): ResolveOptions {
  return { reach: defaultReach(studio.getState().video?.fps ?? 30) };
}

/** The keyframes a track shows (its model keys with people's corrections applied). */
export function shownKeys(t: Track): KeyframeTable {
  return effectiveKeys(t, resolveOptions());
}
